import type { Actor } from "./types.js";

/** The base of every error this SDK throws about Handoff itself (not network failures or cancellation). */
export class HandoffError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The server answered with an error: an RFC 9457 problem document (or, from something in between such as a proxy,
 * any other error body). For a 400, {@link errors} names every bad field by its JSON path (`proposal.confidence`,
 * `expiresIn`, `Idempotency-Key`, …).
 */
export class HandoffProblemError extends HandoffError {
  /** The HTTP status code. */
  readonly status: number;
  /** The problem's title (`Not Found`, `One or more validation errors occurred.`, …). */
  readonly title: string | undefined;
  /** What went wrong and what to do, when the server says. */
  readonly detail: string | undefined;
  /** The problem's type URI. */
  readonly type: string | undefined;
  /** The bad fields, by JSON path, each with its messages; empty when the problem names none. */
  readonly errors: Readonly<Record<string, readonly string[]>>;
  /** Every other member of the problem document, such as a 409's `caseStatus` or `assignedTo`. */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    title: string | undefined,
    detail: string | undefined,
    type?: string,
    errors: Record<string, string[]> = {},
    extensions: Record<string, unknown> = {},
  ) {
    super(describe(status, title, detail, errors));
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.type = type;
    this.errors = errors;
    this.extensions = extensions;
  }
}

function describe(status: number, title: string | undefined, detail: string | undefined, errors: Record<string, string[]>): string {
  let text = `Handoff answered ${status} ${title ?? ""}`.trimEnd();
  if (detail) {
    text += ": " + detail;
  }

  const fields = Object.entries(errors);
  if (fields.length > 0) {
    text += " (" + fields.map(([k, v]) => `${k}: ${v.join(" ")}`).join("; ") + ")";
  }

  return text;
}

/**
 * A decision that is not about what the agent proposed, or whose result is not what its digest names. The client
 * refuses it rather than hand it back: act on nothing, and look at the case in the dashboard and its audit log.
 */
export class ProposalDigestMismatchError extends HandoffError {
  constructor(
    /** The case whose decision was refused. */
    readonly caseId: string,
    /** Which digest did not match: `proposalDigest` or `resultDigest`. */
    readonly digest: "proposalDigest" | "resultDigest",
    /** What it should have been (the digest computed here, or "a result"). */
    readonly expected: string,
    /** What the decision carried (undefined when absent). */
    readonly actual: string | undefined,
  ) {
    super(
      `Refusing the decision on case ${caseId}: its ${digest} is ${actual ?? "missing"}, but ${expected} was expected, so it is not about what was proposed.`,
    );
  }
}

/**
 * The case was escalated (it timed out with `onTimeout: escalate`, or an SLA rung escalated it): nobody decided, and
 * a person will follow up. Tell the customer; wait again with `keepWaitingWhenEscalated` for the eventual decision.
 */
export class CaseEscalatedError extends HandoffError {
  constructor(
    readonly caseId: string,
    /** The person or key holding the case, if any. */
    readonly assignedTo: Actor | undefined,
  ) {
    super(`Case ${caseId} was escalated: nobody decided in time, and a person will follow up.`);
  }
}

/** A person took the conversation over: relay the customer's messages and the person's replies until the handback. */
export class CaseTakenOverError extends HandoffError {
  constructor(
    readonly caseId: string,
    /** The person who took it over. */
    readonly takenBy: Actor | undefined,
  ) {
    super(`Case ${caseId} was taken over by ${takenBy?.name ?? "a person"}: relay the conversation instead of answering.`);
  }
}

/** The last try of a call took longer than `requestTimeoutMs` (its own timeout, not the caller's signal). */
export class HandoffTimeoutError extends HandoffError {}
