import { CaseEscalatedError, CaseTakenOverError, HandoffError } from "../errors.js";
import type { HandoffClient } from "../client.js";
import type { CaseDecision, CaseRequest } from "../types.js";

/** A tool call a framework paused for approval. */
export interface ToolCallForApproval {
  /** The tool's name. */
  toolName: string;
  /** The framework's id of the call. */
  callId: string;
  /** The arguments the model gave, parsed. */
  arguments: Record<string, unknown>;
}

/** What a case about a tool call says besides the call itself; every member is optional. */
export type ApprovalCaseContext = Partial<Omit<CaseRequest, "kind" | "proposal" | "idempotencyKey">> & {
  /** What the agent would tell the customer, kept with the proposal. */
  text?: string;
  /** The model's confidence in the call, 0–1. Without one the policy counts it as low confidence: a person looks. */
  confidence?: number;
};

/** How calls that need approval become cases. */
export interface ApprovalOptions {
  /** The case's context for each call (summary, facts, subject, confidence, …). Default: a summary naming the tool. */
  context?: (call: ToolCallForApproval) => ApprovalCaseContext | Promise<ApprovalCaseContext>;
  /**
   * A stable id for this run (a conversation id, a job id): each case's Idempotency-Key is then `{runId}/{callId}`,
   * so asking again after a restart finds the cases already submitted instead of making new ones.
   */
  runId?: string;
  /** Ends the waits at once. */
  signal?: AbortSignal;
}

/** How one paused call was answered. */
export interface ApprovalOutcome {
  call: ToolCallForApproval;
  caseId: string;
  /** True when the framework was told to run the call. */
  approved: boolean;
  /** The checked decision (absent when the case was escalated or taken over: nobody decided). */
  decided?: CaseDecision;
  /** For a refused call: what the model is told. */
  message?: string;
}

/** The case for a tool call: kind `action`, the call as the proposal's action. */
export async function caseFor(call: ToolCallForApproval, options: ApprovalOptions): Promise<CaseRequest> {
  const { text, confidence, ...context } = (await options.context?.(call)) ?? {};
  const request: CaseRequest = {
    summary: `The agent wants to call ${call.toolName}`,
    ...context,
    kind: "action",
    proposal: { text, action: { name: call.toolName, arguments: call.arguments }, confidence },
  };
  if (options.runId !== undefined) {
    request.idempotencyKey = `${options.runId}/${call.callId}`;
  }

  return request;
}

/**
 * Submits the case for a call and waits for its checked decision. An escalation or a takeover is an answer too
 * (nobody decided: the call does not run); a decision that does not match what was proposed throws, so nothing runs.
 */
export async function decideCall(
  client: HandoffClient,
  call: ToolCallForApproval,
  options: ApprovalOptions,
): Promise<{ caseId: string; decided?: CaseDecision; refusal?: string }> {
  const submitted = await client.submit(await caseFor(call, options), { signal: options.signal });
  try {
    const decided = await client.waitForDecision(submitted, { signal: options.signal });
    return { caseId: submitted.id, decided };
  } catch (e) {
    if (e instanceof CaseEscalatedError) {
      return { caseId: submitted.id, refusal: `Not run: nobody decided in time, and a person will follow up (case ${submitted.id}).` };
    }

    if (e instanceof CaseTakenOverError) {
      return { caseId: submitted.id, refusal: `Not run: a person took the conversation over (case ${submitted.id}); relay the customer's messages.` };
    }

    throw e;
  }
}

/** What the model is told for a decision that does not let the call run. */
export function refusalFor(decided: CaseDecision): string {
  const d = decided.decision;
  switch (d.verdict) {
    case "reject":
      if (d.timedOut) {
        return `Rejected: ${d.text ?? "Nobody decided before the case expired."}`;
      }

      return d.decidedBy?.kind === "policy" ? `Rejected by policy: ${d.text ?? ""}`.trimEnd() : `Rejected by a person: ${d.text ?? ""}`.trimEnd();
    case "respond":
      return d.text ?? "A person answered instead of running the call.";
    case "handBack":
      return `Not run: a person handed the conversation back with a note: ${d.text ?? ""}`.trimEnd();
    default:
      return `Not run: the case ended ${decided.status}.`;
  }
}

/**
 * The arguments a decision lets run for this call, or undefined when it does not let it run (rejected, answered, or
 * approved as another tool: a chosen option that names another tool cannot run in this call's place).
 */
export function approvedArguments(call: ToolCallForApproval, decided: CaseDecision): Record<string, unknown> | undefined {
  if (!decided.isApproved) {
    return undefined;
  }

  const action = decided.decision.result?.action;
  if (!action || action.name !== call.toolName) {
    return undefined;
  }

  const args = action.arguments;
  return args !== null && typeof args === "object" && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
}

/** Whether two argument objects are the same JSON. */
export function sameArguments(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }

  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }

  return value;
}

/**
 * The decisions of calls a wrapped tool is about to run, by call id: the wrapper runs the decided arguments (an
 * edit included) and sends the receipt once the tool ran or failed.
 */
export class DecidedCalls {
  readonly #byCallId = new Map<string, { decided: CaseDecision; args: Record<string, unknown> }>();

  constructor(readonly client: HandoffClient) {}

  set(callId: string, decided: CaseDecision, args: Record<string, unknown>): void {
    this.#byCallId.set(callId, { decided, args });
  }

  /**
   * Runs `execute` with the decided arguments of the call, then sends the receipt. A call that needed approval and has
   * no verified decision here (a run resumed in another process, or answered by something else) does not run: it
   * throws, so the framework reports an error instead of running arguments nobody approved.
   * @param needsApproval whether this call needed approval; when not, it runs its own input and sends no receipt.
   */
  async run<T>(callId: string | undefined, input: unknown, execute: (args: unknown) => Promise<T>, needsApproval: boolean): Promise<T> {
    const entry = this.#take(callId, needsApproval);
    if (entry === undefined) {
      return execute(input);
    }

    let output: T;
    try {
      output = await execute(entry.args);
    } catch (e) {
      await this.#failed(entry.decided, e);
      throw e;
    }

    // What ran is the decided result: the receipt carries its digest. A receipt that cannot be sent leaves the case
    // showing "not reported as carried out yet"; the run goes on.
    await this.client.reportExecuted(entry.decided).catch(() => undefined);
    return output;
  }

  /** As {@link run}, for a tool whose `execute` streams (an async generator): the receipt is sent when it has finished. */
  async *runStream<T>(callId: string | undefined, input: unknown, execute: (args: unknown) => AsyncIterable<T>, needsApproval: boolean): AsyncGenerator<T> {
    const entry = this.#take(callId, needsApproval);
    if (entry === undefined) {
      yield* execute(input);
      return;
    }

    try {
      yield* execute(entry.args);
    } catch (e) {
      await this.#failed(entry.decided, e);
      throw e;
    }

    await this.client.reportExecuted(entry.decided).catch(() => undefined);
  }

  #take(callId: string | undefined, needsApproval: boolean): { decided: CaseDecision; args: Record<string, unknown> } | undefined {
    const entry = callId === undefined ? undefined : this.#byCallId.get(callId);
    if (entry === undefined) {
      if (needsApproval) {
        throw new HandoffError(
          `Tool call ${callId ?? "(without an id)"} has no verified Handoff decision in this process, so it was not run. ` +
            "Answer its approval with this adapter (decide/respond) in the process that runs the tool.",
        );
      }

      return undefined;
    }

    this.#byCallId.delete(callId!);
    return entry;
  }

  async #failed(decided: CaseDecision, e: unknown): Promise<void> {
    // The server takes a reason of at most 2,000 characters.
    const reason = `The tool failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 2000);
    await this.client.reportFailed(decided.caseId, reason).catch(() => undefined);
  }
}
