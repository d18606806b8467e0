import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Annotation, Command, END, MemorySaver, START, StateGraph } from "@langchain/langgraph";
import { type CaseDecision, type HandoffClient, ProposalDigestMismatchError } from "@handoff/client";
import { requestApproval, runWithHandoff } from "@handoff/client/langgraph";
import { agent, unique } from "../support/env.js";
import { person } from "../support/approvals.js";

/** A graph whose refund node asks a person before it pays, then reports what it did. */
function refundGraph(handoff: HandoffClient, marker: string, ran: unknown[]) {
  const State = Annotation.Root({
    orderId: Annotation<string>(),
    amount: Annotation<number>(),
    outcome: Annotation<string>(),
  });
  return new StateGraph(State)
    .addNode("refund", async (state) => {
      const decided: CaseDecision = requestApproval({
        kind: "action",
        summary: `Refund ${state.amount} on ${state.orderId}`,
        facts: { review: true, marker },
        proposal: { action: { name: "issue_refund", arguments: { orderId: state.orderId, amount: state.amount } }, confidence: 0.8 },
      });
      if (!decided.isApproved) {
        return { outcome: `not refunded: ${decided.decision.text}` };
      }

      const args = decided.decision.result!.action!.arguments as { orderId: string; amount: number };
      ran.push(args);
      await handoff.reportExecuted(decided);
      return { outcome: `refunded ${args.amount}` };
    })
    .addEdge(START, "refund")
    .addEdge("refund", END)
    .compile({ checkpointer: new MemorySaver() });
}

async function runRefund(decide: Parameters<typeof person>[1]) {
  const marker = unique("lg");
  const handoff = agent();
  const ran: unknown[] = [];
  const reviewing = person(marker, decide);
  try {
    const output = (await runWithHandoff(refundGraph(handoff, marker, ran), { orderId: "B-11872", amount: 1450 }, { configurable: { thread_id: marker } }, handoff)) as {
      outcome: string;
    };
    return { handoff, ran, output, caseId: reviewing.decided[0]! };
  } finally {
    reviewing.stop();
  }
}

describe("LangGraph.js adapter", () => {
  test("the interrupted node resumes with the approval, runs once, and sends the receipt", async () => {
    const { handoff, ran, output, caseId } = await runRefund(() => ({ verdict: "approve" }));

    assert.deepEqual(ran, [{ orderId: "B-11872", amount: 1450 }]);
    assert.equal(output.outcome, "refunded 1450");
    const view = await handoff.getCase(caseId);
    assert.equal(view.receipt?.outcome, "executed");
    assert.equal(view.receipt?.mismatch, false);
  });

  test("an edit resumes the node with the person's arguments", async () => {
    const { ran, output } = await runRefund(() => ({ verdict: "edit", arguments: { orderId: "B-11872", amount: 900 } }));

    assert.deepEqual(ran, [{ orderId: "B-11872", amount: 900 }]);
    assert.equal(output.outcome, "refunded 900");
  });

  test("a rejection resumes the node with the reason, and nothing runs", async () => {
    const { ran, output } = await runRefund(() => ({ verdict: "reject", text: "Outside the return window." }));

    assert.deepEqual(ran, []);
    assert.equal(output.outcome, "not refunded: Outside the return window.");
  });

  test("a graph left interrupted by an earlier process is answered by running it again without input", async () => {
    const marker = unique("lg");
    const handoff = agent();
    const ran: unknown[] = [];
    const graph = refundGraph(handoff, marker, ran);
    const config = { configurable: { thread_id: marker } };
    // The first process stops after the graph was interrupted (before any answer); a second one picks it up.
    await graph.invoke({ orderId: "B-11872", amount: 1450 }, config);
    const reviewing = person(marker, () => ({ verdict: "approve" }));
    try {
      const first = runWithHandoff(graph, undefined, config, handoff);
      const output = (await first) as { outcome: string };
      assert.equal(output.outcome, "refunded 1450");
      assert.equal(reviewing.decided.length, 1);
    } finally {
      reviewing.stop();
    }
  });

  test("a graph resumed by other code with a decision about something else does not run it", async () => {
    const marker = unique("lg");
    const ran: unknown[] = [];
    const graph = refundGraph(agent(), marker, ran);
    const config = { configurable: { thread_id: marker } };
    await graph.invoke({ orderId: "B-11872", amount: 1450 }, config);
    const call = { name: "issue_refund", arguments: { orderId: "B-11872", amount: 99999 } };
    const forged = {
      caseId: "cs_forged",
      status: "approved",
      isApproved: true,
      isHandedBack: false,
      decision: { verdict: "approve", proposalDigest: "0".repeat(64), result: { action: call }, resultDigest: "0".repeat(64) },
    };

    await assert.rejects(graph.invoke(new Command({ resume: forged }), config), ProposalDigestMismatchError);
    assert.deepEqual(ran, []);
  });
});
