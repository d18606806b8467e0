import { randomUUID } from "node:crypto";
import { HandoffClient, type HandoffClientOptions, type CaseRequest } from "@handoff/client";

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests with 'npm test' (or test.sh), which starts a Handoff server.`);
  }

  return value;
}

export const server = {
  get url() {
    return required("HANDOFF_URL");
  },
  get agentKey() {
    return required("HANDOFF_AGENT_KEY");
  },
  get reviewerKey() {
    return required("HANDOFF_REVIEWER_KEY");
  },
  get adminKey() {
    return required("HANDOFF_ADMIN_KEY");
  },
};

type Extra = Omit<HandoffClientOptions, "baseUrl" | "apiKey"> & { baseUrl?: string };

/** An agent's client; short long-polls and pauses so that the tests do not idle. */
export function agent(extra: Extra = {}): HandoffClient {
  return new HandoffClient({ baseUrl: server.url, apiKey: server.agentKey, longPollWaitSeconds: 5, retryBaseDelayMs: 20, retryMaxDelayMs: 500, ...extra });
}

export function reviewer(extra: Extra = {}): HandoffClient {
  return new HandoffClient({ baseUrl: server.url, apiKey: server.reviewerKey, retryBaseDelayMs: 20, retryMaxDelayMs: 500, ...extra });
}

/** A unique marker for a test's cases, so that tests running at once never meet each other's. */
export function unique(prefix = "t"): string {
  return `${prefix}-${randomUUID()}`;
}

/** A case the test policy sends to a person (facts.review), with a refund as its proposal. */
export function reviewCase(overrides: Partial<CaseRequest> = {}): CaseRequest {
  return {
    kind: "action",
    summary: "Refund a damaged kettle",
    facts: { review: true, amount: 1450, marker: unique() },
    proposal: {
      text: "I have issued a full refund of 1450 EUR.",
      action: { name: "issue_refund", arguments: { orderId: "B-11872", amount: 1450 } },
      confidence: 0.88,
    },
    ...overrides,
  };
}
