export { canonicalJson } from "./canonicalJson.js";
export { type CallOptions, type EventOptions, HandoffClient, type WaitOptions } from "./client.js";
export {
  CaseEscalatedError,
  CaseTakenOverError,
  HandoffError,
  HandoffProblemError,
  HandoffTimeoutError,
  ProposalDigestMismatchError,
} from "./errors.js";
export type { HandoffClientOptions, RetryInfo } from "./options.js";
export { proposalDigest } from "./proposalDigest.js";
export type * from "./types.js";
export {
  HandoffWebhook,
  HandoffWebhookError,
  type HandoffWebhookEvent,
  type HandoffWebhookFailure,
  type HandoffWebhookOptions,
  type WebhookHeaders,
} from "./webhook.js";
