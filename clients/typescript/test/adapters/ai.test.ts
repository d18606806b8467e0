import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4GenerateResult } from "@ai-sdk/provider";
import { type ModelMessage, generateText, tool } from "ai";
import { z } from "zod";
import { HandoffToolApprovals } from "@handoff/client/ai";
import { agent, unique } from "../support/env.js";
import { person } from "../support/approvals.js";

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };

/** A local fake of the AI SDK's LanguageModelV4: first it calls issue_refund, then it repeats the tool's output. */
function scriptedModel(): LanguageModelV4 {
  return {
    specificationVersion: "v4",
    provider: "fake",
    modelId: "scripted",
    supportedUrls: {},
    async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
      const toolMessage = options.prompt.find((m) => m.role === "tool");
      if (toolMessage === undefined) {
        return {
          content: [{ type: "tool-call", toolCallId: "tc_refund_1", toolName: "issue_refund", input: JSON.stringify({ orderId: "B-11872", amount: 1450 }) }],
          finishReason: { unified: "tool-calls", raw: "tool_calls" },
          usage,
          warnings: [],
        };
      }

      return { content: [{ type: "text", text: `Tool said: ${JSON.stringify(toolMessage.content)}` }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] };
    },
    async doStream() {
      throw new Error("not streamed in these tests");
    },
  };
}

async function runRefund(decide: Parameters<typeof person>[1], wrapped: boolean) {
  const marker = unique("ai");
  const handoff = agent();
  const approvals = new HandoffToolApprovals(handoff, { context: () => ({ facts: { review: true, marker } }), runId: marker });
  const ran: { orderId: string; amount: number }[] = [];
  const plain = {
    issue_refund: tool({
      description: "Refunds an order.",
      inputSchema: z.object({ orderId: z.string(), amount: z.number() }),
      needsApproval: true,
      execute: async (input: { orderId: string; amount: number }) => {
        ran.push(input);
        return `refunded ${input.amount}`;
      },
    }),
  };
  const tools = wrapped ? approvals.tools(plain) : plain;
  const model = scriptedModel();
  const messages: ModelMessage[] = [{ role: "user", content: "My kettle arrived cracked, order B-11872. Refund please." }];
  const reviewing = person(marker, decide);
  try {
    let result = await generateText({ model, tools, messages });
    messages.push(...result.response.messages);
    const answers = await approvals.respond(result);
    assert.ok(answers.message);
    messages.push(answers.message);
    result = await generateText({ model, tools, messages });
    return { handoff, ran, outcomes: answers.outcomes, output: result.text };
  } finally {
    reviewing.stop();
  }
}

describe("Vercel AI SDK adapter", () => {
  test("an approved call runs, and its receipt is sent after it ran", async () => {
    const { handoff, ran, outcomes, output } = await runRefund(() => ({ verdict: "approve" }), true);

    assert.deepEqual(ran, [{ orderId: "B-11872", amount: 1450 }]);
    assert.match(output, /refunded 1450/);
    const view = await handoff.getCase(outcomes[0]!.caseId);
    assert.equal(view.receipt?.outcome, "executed");
    assert.equal(view.receipt?.mismatch, false);
  });

  test("an edited call runs with the person's arguments", async () => {
    const { handoff, ran, outcomes, output } = await runRefund(() => ({ verdict: "edit", arguments: { orderId: "B-11872", amount: 900 } }), true);

    assert.deepEqual(ran, [{ orderId: "B-11872", amount: 900 }]);
    assert.match(output, /refunded 900/);
    assert.equal((await handoff.getCase(outcomes[0]!.caseId)).receipt?.mismatch, false);
  });

  test("a rejected call is denied with the person's reason, and nothing runs", async () => {
    const { ran, outcomes, output } = await runRefund(() => ({ verdict: "reject", text: "Outside the return window." }), true);

    assert.deepEqual(ran, []);
    assert.equal(outcomes[0]!.approved, false);
    assert.match(output, /Rejected by a person: Outside the return window\./);
  });

  test("an edit of a tool not passed through tools() is denied, since the SDK would run the model's input", async () => {
    const { ran, outcomes } = await runRefund(() => ({ verdict: "edit", arguments: { orderId: "B-11872", amount: 900 } }), false);

    assert.deepEqual(ran, []);
    assert.match(outcomes[0]!.message ?? "", /a person changed the arguments/);
  });
});
