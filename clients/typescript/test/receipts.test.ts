import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HandoffProblemError, proposalDigest } from "@handoff/client";
import { agent, reviewCase, reviewer } from "./support/env.js";

async function approved(verdict: "approve" | "edit" = "approve") {
  const handoff = agent();
  const submitted = await handoff.submit(reviewCase());
  await reviewer().decide(submitted.id, verdict === "edit" ? { verdict, arguments: { orderId: "B-11872", amount: 900 } } : { verdict });
  return { handoff, decided: await handoff.waitForDecision(submitted) };
}

describe("execution receipts", () => {
  test("an executed receipt carries the approved result's digest and no mismatch", async () => {
    const { handoff, decided } = await approved("edit");

    const view = await handoff.reportExecuted(decided);

    assert.equal(view.receipt?.outcome, "executed");
    assert.equal(view.receipt?.resultDigest, decided.decision.resultDigest);
    assert.equal(view.receipt?.mismatch, false);
  });

  test("running something else than approved is recorded as a mismatch", async () => {
    const { handoff, decided } = await approved();
    const ran = { ...decided.decision.result, action: { name: "issue_refund", arguments: { orderId: "B-11872", amount: 9999 } } };

    const view = await handoff.reportExecuted(decided, { executed: ran });

    assert.equal(view.receipt?.resultDigest, proposalDigest(ran));
    assert.equal(view.receipt?.mismatch, true);
  });

  test("a failed receipt carries the reason", async () => {
    const { handoff, decided } = await approved();

    const view = await handoff.reportFailed(decided.caseId, "The payment provider refused: card expired.");

    assert.equal(view.receipt?.outcome, "failed");
    assert.equal(view.receipt?.reason, "The payment provider refused: card expired.");
  });

  test("sending the same receipt again meets its own receipt and counts as success", async () => {
    const { handoff, decided } = await approved();
    const first = await handoff.reportExecuted(decided);

    const again = await handoff.reportExecuted(decided);

    assert.deepEqual(again.receipt, first.receipt);
  });

  test("a different second receipt is a 409", async () => {
    const { handoff, decided } = await approved();
    await handoff.reportExecuted(decided);

    await assert.rejects(handoff.reportFailed(decided.caseId, "It did not work after all."), (e: unknown) => {
      assert.ok(e instanceof HandoffProblemError);
      assert.equal(e.status, 409);
      assert.match(e.detail ?? "", /already has its receipt/);
      return true;
    });
  });

  test("a receipt for a case that is not approved is a 409", async () => {
    const handoff = agent();
    const submitted = await handoff.submit(reviewCase());

    await assert.rejects(handoff.reportFailed(submitted.id, "Nothing ran."), (e: unknown) => e instanceof HandoffProblemError && e.status === 409);
  });
});
