import { randomUUID } from "node:crypto";
import { CaseEscalatedError, CaseTakenOverError, HandoffError, HandoffProblemError } from "./errors.js";
import { followCase, followWorkspace } from "./events.js";
import { Http, type Reply, problemFrom } from "./http.js";
import { type HandoffClientOptions, resolveOptions } from "./options.js";
import { proposalDigest } from "./proposalDigest.js";
import type {
  CaseDecision,
  CaseEvent,
  CaseMessage,
  CaseRequest,
  CaseStatus,
  CaseStatusView,
  CaseView,
  DecideRequest,
  MessagesView,
  PostMessageRequest,
  Proposal,
  ReceiptRequest,
  SubmitBody,
  SubmittedCase,
} from "./types.js";
import { verifiedDecision } from "./verify.js";

/** Options every call takes. */
export interface CallOptions {
  /** Ends the call at once; it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** How {@link HandoffClient.waitForDecision} treats a case that escalates or is taken over. */
export interface WaitOptions extends CallOptions {
  /** False (the default): an escalated case ends the wait with {@link CaseEscalatedError}. True: wait on for the person. */
  keepWaitingWhenEscalated?: boolean;
  /** False (the default): a takeover ends the wait with {@link CaseTakenOverError}. True: wait on (usually for the handback). */
  keepWaitingWhenTakenOver?: boolean;
}

/** Where to start following events. */
export interface EventOptions extends CallOptions {
  /** Start after this event's sequence; for a case, undefined means its whole history; for the workspace, from now on (0: from the start). */
  afterSequence?: number;
}

/**
 * Talks to a Handoff server: submit a case, get it, wait for the person's decision (checked against what was
 * proposed), follow events, decide (with a reviewer's key), and send the execution receipt. It keeps no state between
 * calls besides its settings, so one instance can serve a whole agent, concurrently.
 */
export class HandoffClient {
  readonly #http: Http;

  /** @throws TypeError or RangeError when an option cannot be used (the message names it). */
  constructor(options: HandoffClientOptions) {
    this.#http = new Http(resolveOptions(options));
  }

  /**
   * Submits a case (`POST /v1/cases`). It always carries an `Idempotency-Key` (the request's, or one made for this
   * call), so a try that failed in flight is repeated up to `maxAttempts` times without ever creating a second case.
   *
   * @returns the stored case, whether the server already had it, and the digest of the proposal as sent.
   * @throws HandoffProblemError 400 naming each bad field, 401/403 for the key, 422 for a key used before with
   *   another case; or the last try's 5xx once the tries ran out.
   */
  async submit(request: CaseRequest, options: CallOptions = {}): Promise<SubmittedCase> {
    const { idempotencyKey, ...fields } = request;
    const key = idempotencyKey ?? "hc_" + randomUUID().replaceAll("-", "");
    const body: SubmitBody = fields;
    const reply = await this.#http.send("POST", "v1/cases", {
      json: body,
      idempotencyKey: key,
      timeoutMs: this.#http.options.requestTimeoutMs,
      maxAttempts: this.#http.options.maxAttempts,
      signal: options.signal,
    });
    if (reply.status !== 201 && reply.status !== 200) {
      throw problemFrom(reply);
    }

    const created = read<CaseView>(reply);
    return {
      id: created.id,
      case: created,
      idempotencyKey: key,
      replayed: reply.status === 200 || reply.headers.get("Idempotent-Replayed") === "true",
      proposalDigest: proposalDigest(fields.proposal ?? null),
    };
  }

  /**
   * The case as it stands (`GET /v1/cases/{id}`). Its decision is **not** checked: act only on what
   * {@link waitForDecision} hands back.
   */
  async getCase(caseId: string, options: CallOptions = {}): Promise<CaseView> {
    const reply = await this.#send("GET", casePath(caseId), undefined, options);
    return reply.status === 200 ? read<CaseView>(reply) : fail(reply);
  }

  /**
   * Waits until the case is decided and hands back the decision once it is proved to be about the proposal that
   * was submitted. Long-polls `GET /v1/cases/{id}/decision?wait=N`, renewing each poll that runs out, and retries
   * dropped connections, timeouts and 5xx with backoff for as long as the signal allows.
   *
   * Pass the {@link SubmittedCase}, or `{ caseId, proposal }` with the proposal exactly as it was submitted.
   *
   * @throws ProposalDigestMismatchError the decision names another proposal, or a result other than the one it carries.
   * @throws CaseEscalatedError the case was escalated (unless `keepWaitingWhenEscalated`).
   * @throws CaseTakenOverError a person took the conversation over (unless `keepWaitingWhenTakenOver`).
   * @throws HandoffProblemError 404 when the case is not in the key's workspace; 401/403 for the key.
   */
  async waitForDecision(
    submitted: SubmittedCase | { caseId: string; proposal: Proposal | null | undefined },
    options: WaitOptions = {},
  ): Promise<CaseDecision> {
    const [caseId, expected] =
      "proposalDigest" in submitted ? [submitted.id, submitted.proposalDigest] : [submitted.caseId, proposalDigest(submitted.proposal ?? null)];
    const wait = this.#http.options.longPollWaitSeconds;
    const path = `${casePath(caseId)}/decision?wait=${wait}`;
    while (true) {
      const reply = await this.#http.send("GET", path, {
        timeoutMs: wait * 1000 + this.#http.options.requestTimeoutMs,
        maxAttempts: undefined,
        signal: options.signal,
      });
      if (reply.status === 200) {
        return verifiedDecision(caseId, expected, reply.body);
      }

      if (reply.status !== 202) {
        throw problemFrom(reply);
      }

      const standing = read<CaseStatusView>(reply);
      if (standing.status === "escalated" && !options.keepWaitingWhenEscalated) {
        throw new CaseEscalatedError(caseId, standing.assignedTo);
      }

      if (standing.status === "takenOver" && !options.keepWaitingWhenTakenOver) {
        throw new CaseTakenOverError(caseId, standing.assignedTo);
      }
    }
  }

  /**
   * Follows a case's events (`GET /v1/cases/{id}/events`): its history, then each change as it happens, ending once
   * the case is closed. Reconnects after a drop with `Last-Event-ID`, so no event is lost or repeated. An escalated or
   * taken-over case is still open: its stream goes on. Events carry no decision result; after `case.decided`, take it
   * from {@link waitForDecision}.
   */
  events(caseId: string, options: EventOptions = {}): AsyncIterable<CaseEvent> {
    const isOpen = async () => {
      try {
        return isOpenStatus((await this.getCase(caseId, options)).status);
      } catch (e) {
        options.signal?.throwIfAborted();
        // A server out of reach counts as open, so that following goes on.
        if (e instanceof HandoffProblemError && e.status < 500) {
          throw e;
        }

        return true;
      }
    };
    return followCase(this.#http, caseId, options.afterSequence, isOpen, options.signal);
  }

  /**
   * Follows every case of the key (`GET /v1/events`): an agent key's own cases, a reviewer's or admin's whole
   * workspace. Each event names its `caseId`. From now on (or after `afterSequence`; 0 from the start), until the
   * signal ends it. Start following before submitting, so that no decision falls between the two.
   */
  allEvents(options: EventOptions = {}): AsyncIterable<CaseEvent> {
    return followWorkspace(this.#http, options.afterSequence, options.signal);
  }

  /**
   * Decides a case (`POST /v1/cases/{id}/decision`); needs a reviewer's or admin's key.
   * @throws HandoffProblemError 400 naming the field, 404, or 409 when it was decided, closed or is held by someone else.
   */
  async decide(caseId: string, decision: DecideRequest, options: CallOptions = {}): Promise<CaseView> {
    // Sent once: a retry after a lost answer would meet the decision it made as a 409.
    const reply = await this.#send("POST", `${casePath(caseId)}/decision`, decision, options, 1);
    return reply.status === 200 ? read<CaseView>(reply) : fail(reply);
  }

  /** Claims an open case for the caller's reviewer key (`POST /v1/cases/{id}/claim`). */
  async claim(caseId: string, options: CallOptions = {}): Promise<CaseView> {
    const reply = await this.#send("POST", `${casePath(caseId)}/claim`, undefined, options);
    return reply.status === 200 ? read<CaseView>(reply) : fail(reply);
  }

  /**
   * Tells Handoff the approved result was carried out (`POST /v1/cases/{id}/receipt`), with the digest of what ran:
   * `executed`, or the approved `decision.result` when absent. Once per case; a retry whose earlier try was recorded
   * finds its own receipt and counts as success. What ran not being what was approved is recorded as a mismatch.
   *
   * @throws HandoffProblemError 409 when the case is not approved or already has another receipt; 404, 401/403.
   */
  reportExecuted(decided: CaseDecision, options: CallOptions & { executed?: Proposal } = {}): Promise<CaseView> {
    const digest = proposalDigest(options.executed ?? decided.decision.result ?? null);
    return this.#report(decided.caseId, "executed", digest, undefined, options);
  }

  /**
   * Tells Handoff the approved result could not be carried out, and why; once per case, like {@link reportExecuted}.
   * @throws HandoffProblemError 409 when the case is not approved or already has another receipt; 400 for an empty reason.
   */
  reportFailed(caseId: string, reason: string, options: CallOptions = {}): Promise<CaseView> {
    if (reason.trim() === "") {
      throw new TypeError("A failed receipt needs a reason.");
    }

    return this.#report(caseId, "failed", undefined, reason, options);
  }

  /** Adds what the customer said to the case's transcript. Sent once, never retried: a message is not idempotent. */
  postCustomerMessage(caseId: string, text: string, options: CallOptions = {}): Promise<CaseMessage> {
    return this.#postMessage(caseId, "customer", text, options);
  }

  /** Adds the agent's own reply to the transcript; 409 while a person owns the conversation. Sent once. */
  postAgentMessage(caseId: string, text: string, options: CallOptions = {}): Promise<CaseMessage> {
    return this.#postMessage(caseId, "agent", text, options);
  }

  /**
   * One long-poll for messages numbered above `after`: answers as soon as there is one, when the case changes status
   * or closes, or with none when the wait runs out. Passing failures are retried.
   */
  async waitForMessages(caseId: string, after = 0, options: CallOptions = {}): Promise<MessagesView> {
    const wait = this.#http.options.longPollWaitSeconds;
    const reply = await this.#http.send("GET", `${casePath(caseId)}/messages?after=${after}&wait=${wait}`, {
      timeoutMs: wait * 1000 + this.#http.options.requestTimeoutMs,
      maxAttempts: undefined,
      signal: options.signal,
    });
    return reply.status === 200 ? read<MessagesView>(reply) : fail(reply);
  }

  async #postMessage(caseId: string, role: PostMessageRequest["role"], text: string, options: CallOptions): Promise<CaseMessage> {
    const body: PostMessageRequest = { role, text };
    const reply = await this.#http.send("POST", `${casePath(caseId)}/messages`, {
      json: body,
      timeoutMs: this.#http.options.requestTimeoutMs,
      maxAttempts: 1,
      signal: options.signal,
    });
    return reply.status === 201 ? read<CaseMessage>(reply) : fail(reply);
  }

  async #report(caseId: string, outcome: "executed" | "failed", digest: string | undefined, reason: string | undefined, options: CallOptions): Promise<CaseView> {
    const body: ReceiptRequest = { outcome, resultDigest: digest, reason };
    const reply = await this.#send("POST", `${casePath(caseId)}/receipt`, body, options);
    if (reply.status === 200) {
      return read<CaseView>(reply);
    }

    // A retry whose first try was recorded but whose answer was lost meets its own receipt: that is success.
    if (reply.status === 409) {
      const current = await this.getCase(caseId, options);
      const kept = current.receipt;
      if (kept && kept.outcome === outcome && (kept.resultDigest ?? undefined) === digest && (kept.reason ?? undefined) === reason?.trim()) {
        return current;
      }
    }

    return fail(reply);
  }

  #send(method: string, path: string, json: unknown, options: CallOptions, maxAttempts = this.#http.options.maxAttempts): Promise<Reply> {
    return this.#http.send(method, path, {
      json,
      timeoutMs: this.#http.options.requestTimeoutMs,
      maxAttempts,
      signal: options.signal,
    });
  }
}

function casePath(caseId: string): string {
  if (typeof caseId !== "string" || caseId.trim() === "") {
    throw new TypeError("A case id is required.");
  }

  return `v1/cases/${encodeURIComponent(caseId)}`;
}

function isOpenStatus(status: CaseStatus): boolean {
  return status === "pending" || status === "assigned" || status === "escalated" || status === "takenOver";
}

function read<T>(reply: Reply): T {
  if (reply.body.trim() === "") {
    throw new HandoffError(`The server answered ${reply.status} with an empty body.`);
  }

  return JSON.parse(reply.body) as T;
}

function fail(reply: Reply): never {
  throw problemFrom(reply);
}
