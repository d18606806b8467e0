import type { components } from "./generated/openapi.js";

// Every type below is derived from the server's OpenAPI document (src/generated/openapi.ts, made by
// `npm run generate`), so a change of the contract shows up here at compile time. The hand-written part is only
// how optional members are spelled: the document marks many members required-but-nullable while the server leaves
// out every member that has no value (docs/api.md, "Conventions"), so a nullable member becomes an optional one.

type Schemas = components["schemas"];

/** Expands an intersection so that editors show one object type. */
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * A schema as it travels: members that may be null become optional (and never null), at every level. `unknown`
 * (the contract's free JSON, such as tool arguments) stays as it is.
 */
export type Loose<T> = unknown extends T
  ? T
  : T extends readonly (infer U)[]
    ? Loose<U>[]
    : T extends object
      ? Simplify<
          { [K in keyof T as null extends T[K] ? K : never]?: Loose<Exclude<T[K], null>> } & {
            [K in keyof T as null extends T[K] ? never : K]: Loose<T[K]>;
          }
        >
      : T;

/** Where a case is: `pending`, `assigned`, `escalated`, `takenOver` (open) or `approved`, `rejected`, … (closed). */
export type CaseStatus = Schemas["CaseStatus"];
/** What a decision says: `approve`, `edit`, `choose`, `reject`, `respond` or `handBack`. */
export type Verdict = Schemas["Verdict"];
/** `reply`, `action`, `question` or `handoff`. */
export type CaseKind = Schemas["CaseKind"];
/** What happens when a pending case expires: `reject` (the server's default), `approve` or `escalate`. */
export type TimeoutEffect = Schemas["TimeoutEffect"];

/** A reviewer key, a person, the policy or the system: `{kind, id, name}`. */
export type Actor = Loose<Schemas["Actor"]>;
/** A tool call: its name and a JSON object of arguments. */
export type ToolCall = Loose<Schemas["ToolCallBody"]>;
/** Draft text and/or a tool call, with the model's confidence in 0..1 (leave it out and a person always looks). */
export type Proposal = Loose<Schemas["ProposalBody"]>;
/** One turn of the conversation that led to the case. */
export type Message = Loose<Schemas["MessageBody"]>;
/** A case as every case endpoint shows it. */
export type CaseView = Loose<Schemas["CaseView"]>;
/** A decision: verdict, result, digests, who and when. */
export type Decision = Loose<Schemas["Decision"]>;
/** The answer of `GET /v1/cases/{id}/decision` once there is a decision. */
export type DecisionView = Loose<Schemas["DecisionView"]>;
/** The answer of a long-poll that ran out: where the case stands. */
export type CaseStatusView = Loose<Schemas["CaseStatusView"]>;
/** An agent's receipt, as the case view shows it. */
export type ExecutionReceipt = Loose<Schemas["ExecutionReceipt"]>;
/** One message of a taken-over conversation's transcript. */
export type CaseMessage = Loose<Schemas["CaseMessage"]>;
/** The answer of `GET /v1/cases/{id}/messages`. */
export type MessagesView = Loose<Schemas["MessagesView"]>;
/** The body of `POST /v1/cases/{id}/decision` (a reviewer's or admin's key). */
export type DecideRequest = Loose<Schemas["DecideRequest"]>;

/** The body of `POST /v1/cases/{id}/receipt`. */
export type ReceiptRequest = Loose<Schemas["ReceiptRequest"]>;
/** The body of `POST /v1/cases/{id}/messages`. */
export type PostMessageRequest = Loose<Schemas["PostMessageRequest"]>;

/** The wire body of `POST /v1/cases`; {@link CaseRequest} is what callers pass. */
export type SubmitBody = Loose<Schemas["SubmitCaseRequest"]>;

/** A case to submit: every field of `POST /v1/cases`, plus the `Idempotency-Key` to send it with. */
export type CaseRequest = Simplify<
  Omit<SubmitBody, "kind" | "expiresIn" | "onTimeout"> & {
    /** Required: `reply`, `action`, `question` or `handoff`. */
    kind: CaseKind;
    /** Seconds as a number, or a duration such as `"90s"`, `"15m"`, `"2h"`, `"1d"`; only a pending case gets it. */
    expiresIn?: number | string;
    /** `reject` (the server's default), `approve` or `escalate`. */
    onTimeout?: TimeoutEffect;
    /**
     * Makes a retry of *your* code safe too (after a crash, say): derive it from something stable such as the order
     * id. Without one, the client makes one per call, which already makes its own retries safe.
     */
    idempotencyKey?: string;
  }
>;

/** One entry of a case's history, as the event streams send it (not described by the OpenAPI document). */
export interface CaseEvent {
  /** The entry's audit sequence number, also its event id; increasing. */
  sequence: number;
  /** The case it is about; present on the workspace stream ({@link HandoffClient.allEvents}). */
  caseId?: string;
  /** `case.created`, `case.claimed`, `case.decided`, `case.expired`, `case.takenOver`, `case.message`, … */
  action: string;
  /** When it happened (ISO 8601). */
  at: string;
  /** Who did it (the system actor for a timeout). */
  actor: Actor;
  /** What the entry records, such as `status`, `verdict` or `proposalDigest`; see docs/api.md. */
  data: Record<string, unknown>;
}

/**
 * What {@link HandoffClient.submit} hands back: the stored case, the key it was sent with, whether the server already
 * had it, and the digest of the proposal computed here, which the decision is later checked against.
 */
export interface SubmittedCase {
  id: string;
  case: CaseView;
  idempotencyKey: string;
  /** True when the server answered with a case it already had (an idempotent replay). */
  replayed: boolean;
  /** Lowercase hex SHA-256 of the canonical JSON of the proposal as sent. */
  proposalDigest: string;
}

/**
 * A decision as {@link HandoffClient.waitForDecision} hands it back: its digests have been checked against the
 * proposal that was submitted. A plain JSON object (it survives a checkpoint or a queue).
 */
export interface CaseDecision {
  caseId: string;
  status: CaseStatus;
  decision: Decision;
  /** The messages of a takeover, oldest first; absent when there were none. */
  transcript?: CaseMessage[];
  /** Every approval, in order, when the case needed several (the two-person rule). */
  approvals?: Decision[];
  /** True when the agent may go ahead with `decision.result` (by a person, the policy or a timeout). */
  isApproved: boolean;
  /** True when the person who took the conversation over handed it back (`decision.text` is their note). */
  isHandedBack: boolean;
}
