import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Agent, type Model, type ModelRequest, type ModelResponse, Usage, run, setTracingDisabled, tool } from "@openai/agents";
import { z } from "zod";
import { HandoffApprovals } from "@handoff/client/openai-agents";
import { agent, unique } from "../support/env.js";
import { person } from "../support/approvals.js";

setTracingDisabled(true);

/** A local fake of the SDK's Model: first it calls issue_refund, then it answers with what the tool said. */
class ScriptedModel implements Model {
  readonly requests: ModelRequest[] = [];

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const input = Array.isArray(request.input) ? request.input : [];
    const result = input.find((i) => i.type === "function_call_result") as { output: unknown } | undefined;
    if (result === undefined) {
      return {
        usage: new Usage(),
        output: [{ type: "function_call", callId: "call_refund_1", name: "issue_refund", arguments: JSON.stringify({ orderId: "B-11872", amount: 1450 }), status: "completed" }],
      };
    }

    return {
      usage: new Usage(),
      output: [{ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: `Tool said: ${JSON.stringify(result.output)}` }] }],
    };
  }

  // eslint-disable-next-line require-yield
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error("not streamed in these tests");
  }
}

async function runRefund(decide: Parameters<typeof person>[1], wrapped: boolean) {
  const marker = unique("oa");
  const handoff = agent();
  const approvals = new HandoffApprovals(handoff, { context: () => ({ facts: { review: true, marker }, summary: "Refund a damaged kettle" }), runId: marker });
  const ran: { orderId: string; amount: number }[] = [];
  const options = {
    name: "issue_refund",
    description: "Refunds an order.",
    parameters: z.object({ orderId: z.string(), amount: z.number() }),
    execute: async (input: { orderId: string; amount: number }) => {
      ran.push(input);
      return `refunded ${input.amount}`;
    },
  };
  const refund = wrapped ? approvals.tool(options) : tool({ ...options, needsApproval: true });
  const bot = new Agent({ name: "support", instructions: "Help the customer.", model: new ScriptedModel(), tools: [refund] });
  const reviewing = person(marker, decide);
  try {
    let result = await run(bot, "My kettle arrived cracked, order B-11872. Refund please.");
    assert.equal(result.interruptions.length, 1);
    const outcomes = [];
    while (result.interruptions.length > 0) {
      outcomes.push(...(await approvals.decide(result)));
      result = await run(bot, result.state);
    }

    return { handoff, ran, outcomes, output: String(result.finalOutput) };
  } finally {
    reviewing.stop();
  }
}

describe("OpenAI Agents SDK adapter", () => {
  test("an approved call runs with the model's arguments, and its receipt is sent after it ran", async () => {
    const { handoff, ran, outcomes, output } = await runRefund(() => ({ verdict: "approve" }), true);

    assert.deepEqual(ran, [{ orderId: "B-11872", amount: 1450 }]);
    assert.equal(outcomes[0]!.approved, true);
    assert.match(output, /refunded 1450/);
    const view = await handoff.getCase(outcomes[0]!.caseId);
    assert.equal(view.receipt?.outcome, "executed");
    assert.equal(view.receipt?.mismatch, false);
  });

  test("an edited call runs with the person's arguments, and its receipt names them", async () => {
    const { handoff, ran, outcomes, output } = await runRefund(() => ({ verdict: "edit", arguments: { orderId: "B-11872", amount: 900 } }), true);

    assert.deepEqual(ran, [{ orderId: "B-11872", amount: 900 }]);
    assert.match(output, /refunded 900/);
    const view = await handoff.getCase(outcomes[0]!.caseId);
    assert.equal(view.receipt?.resultDigest, view.decision?.resultDigest);
    assert.equal(view.receipt?.mismatch, false);
  });

  test("a rejected call does not run, and the model is told the person's reason", async () => {
    const { ran, outcomes, output } = await runRefund(() => ({ verdict: "reject", text: "Outside the return window." }), true);

    assert.deepEqual(ran, []);
    assert.equal(outcomes[0]!.approved, false);
    assert.match(output, /Rejected by a person: Outside the return window\./);
  });

  test("an edit of a plain needsApproval tool is refused, since the SDK would run the model's arguments", async () => {
    const { ran, outcomes, output } = await runRefund(() => ({ verdict: "edit", arguments: { orderId: "B-11872", amount: 900 } }), false);

    assert.deepEqual(ran, []);
    assert.equal(outcomes[0]!.approved, false);
    assert.match(output, /a person changed the arguments to \{\\"orderId\\":\\"B-11872\\",\\"amount\\":900\}/);
  });

  test("a wrapped tool approved around the adapter (no verified decision here) does not run", async () => {
    const approvals = new HandoffApprovals(agent());
    const ran: unknown[] = [];
    const refund = approvals.tool({
      name: "issue_refund",
      description: "Refunds an order.",
      parameters: z.object({ orderId: z.string(), amount: z.number() }),
      execute: async (input: { orderId: string; amount: number }) => {
        ran.push(input);
        return `refunded ${input.amount}`;
      },
    });
    const bot = new Agent({ name: "support", instructions: "Help the customer.", model: new ScriptedModel(), tools: [refund] });

    let result = await run(bot, "Refund order B-11872, please.");
    // Approved on the run state directly (as a run resumed in another process would be), not through the adapter.
    for (const item of result.interruptions) {
      result.state.approve(item);
    }

    result = await run(bot, result.state);

    // The SDK tells the model its own words for a tool that threw (the adapter's error names the missing decision).
    assert.deepEqual(ran, []);
    assert.match(String(result.finalOutput), /An error occurred while running the tool/);
  });
});
