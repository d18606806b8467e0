import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CaseEscalatedError, HandoffClient, HandoffProblemError, proposalDigest } from "@handoff/client";
import { agent, reviewCase, reviewer, server, unique } from "./support/env.js";
import { forward, standIn } from "./support/standIn.js";

describe("submit, decide, wait", () => {
  test("an approved case hands back the proposal as its result, with both digests checked", async () => {
    const handoff = agent();
    const request = reviewCase();
    const submitted = await handoff.submit(request);
    assert.equal(submitted.case.status, "pending");
    assert.equal(submitted.replayed, false);
    assert.equal(submitted.proposalDigest, proposalDigest(request.proposal));

    await reviewer().decide(submitted.id, { verdict: "approve", note: "fine" });
    const decided = await handoff.waitForDecision(submitted);

    assert.equal(decided.isApproved, true);
    assert.equal(decided.decision.verdict, "approve");
    assert.equal(decided.decision.proposalDigest, submitted.proposalDigest);
    assert.equal(decided.decision.resultDigest, submitted.proposalDigest);
    assert.deepEqual(decided.decision.result, request.proposal);
  });

  test("an edit hands back the person's arguments, and its result digest is the edited proposal's", async () => {
    const handoff = agent();
    const submitted = await handoff.submit(reviewCase());
    await reviewer().decide(submitted.id, { verdict: "edit", arguments: { orderId: "B-11872", amount: 900 }, text: "Refunded 900 EUR." });

    const decided = await handoff.waitForDecision(submitted);

    assert.equal(decided.isApproved, true);
    assert.equal(decided.decision.verdict, "edit");
    assert.deepEqual(decided.decision.result?.action?.arguments, { orderId: "B-11872", amount: 900 });
    assert.equal(decided.decision.resultDigest, proposalDigest(decided.decision.result));
    assert.notEqual(decided.decision.resultDigest, submitted.proposalDigest);
    assert.ok((decided.decision.changes ?? []).some((c) => c.field === "arguments.amount"));
  });

  test("a rejection hands back the reason and nothing to execute", async () => {
    const handoff = agent();
    const submitted = await handoff.submit(reviewCase());
    await reviewer().decide(submitted.id, { verdict: "reject", text: "Outside the return window." });

    const decided = await handoff.waitForDecision(submitted);

    assert.equal(decided.isApproved, false);
    assert.equal(decided.status, "rejected");
    assert.equal(decided.decision.text, "Outside the return window.");
    assert.equal(decided.decision.result, undefined);
  });

  test("a wait started before the decision renews its long-poll and returns the decision once a person decides", async () => {
    // Between the agent and the server, a stand-in that counts the long-polls and tells when one has run out (202).
    const polls: number[] = [];
    let ranOut: () => void = () => undefined;
    const oneRanOut = new Promise<void>((r) => (ranOut = r));
    const proxy = await standIn(async (req, res, body) => {
      const upstream = await forward(server.url, req, body);
      if (req.url?.includes("/decision?wait=")) {
        polls.push(upstream.status);
      }

      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      res.end(upstream.text);
      if (upstream.status === 202) {
        ranOut();
      }
    });
    try {
      const handoff = new HandoffClient({ baseUrl: proxy.url, apiKey: server.agentKey, longPollWaitSeconds: 1 });
      const submitted = await handoff.submit(reviewCase());
      const waiting = handoff.waitForDecision(submitted);
      await oneRanOut;
      await reviewer().decide(submitted.id, { verdict: "approve" });

      assert.equal((await waiting).decision.verdict, "approve");
      assert.ok(polls.length >= 2, `renewed: ${JSON.stringify(polls)}`);
      assert.equal(polls[0], 202);
      assert.equal(polls.at(-1), 200);
    } finally {
      await proxy.close();
    }
  });

  test("a confident case is approved by the policy at once", async () => {
    const handoff = agent();
    const submitted = await handoff.submit({
      kind: "reply",
      summary: "Opening hours",
      facts: { marker: unique() },
      proposal: { text: "We open at 9.", confidence: 0.97 },
    });

    const decided = await handoff.waitForDecision(submitted);

    assert.equal(submitted.case.status, "approved");
    assert.equal(decided.decision.decidedBy?.kind, "policy");
    assert.equal(decided.decision.proposalDigest, "637ed52293c38dbcb217a902a2a79c6f1f2f12246671ac7b27c46ec49911f3e7");
  });

  test("a wait can start from the case id and the proposal alone", async () => {
    const request = reviewCase();
    const submitted = await agent().submit(request);
    await reviewer().decide(submitted.id, { verdict: "approve" });

    const decided = await agent().waitForDecision({ caseId: submitted.id, proposal: request.proposal });

    assert.equal(decided.caseId, submitted.id);
  });
});

describe("expiry", () => {
  test("a case that expires with onTimeout reject ends the wait with the timed-out rejection", async () => {
    const handoff = agent({ longPollWaitSeconds: 1 });
    const submitted = await handoff.submit(reviewCase({ expiresIn: 1, onTimeout: "reject" }));

    const decided = await handoff.waitForDecision(submitted);

    assert.equal(decided.status, "rejected");
    assert.equal(decided.decision.timedOut, true);
    assert.equal(decided.decision.decidedBy, undefined);
  });

  test("a case that expires with onTimeout escalate ends the wait with CaseEscalatedError", async () => {
    const handoff = agent({ longPollWaitSeconds: 1 });
    const submitted = await handoff.submit(reviewCase({ expiresIn: "1s", onTimeout: "escalate" }));

    await assert.rejects(handoff.waitForDecision(submitted), (e: unknown) => e instanceof CaseEscalatedError && e.caseId === submitted.id);
  });

  test("keepWaitingWhenEscalated waits on for the person's decision", async () => {
    const handoff = agent({ longPollWaitSeconds: 1 });
    const submitted = await handoff.submit(reviewCase({ expiresIn: 1, onTimeout: "escalate" }));
    await assert.rejects(handoff.waitForDecision(submitted), CaseEscalatedError);
    const waiting = handoff.waitForDecision(submitted, { keepWaitingWhenEscalated: true });
    await reviewer().decide(submitted.id, { verdict: "approve" });

    assert.equal((await waiting).isApproved, true);
  });
});

describe("idempotency and errors", () => {
  test("submitting again with the same key replays the case instead of making a second one", async () => {
    const handoff = agent();
    const request = reviewCase({ idempotencyKey: unique("order") });

    const first = await handoff.submit(request);
    const second = await handoff.submit(request);

    assert.equal(first.replayed, false);
    assert.equal(second.replayed, true);
    assert.equal(second.id, first.id);
    assert.equal(second.idempotencyKey, request.idempotencyKey);
  });

  test("reusing a key for another case is a 422 naming Idempotency-Key", async () => {
    const handoff = agent();
    const key = unique("order");
    await handoff.submit(reviewCase({ idempotencyKey: key }));

    await assert.rejects(handoff.submit(reviewCase({ idempotencyKey: key, summary: "Another case" })), (e: unknown) => {
      assert.ok(e instanceof HandoffProblemError);
      assert.equal(e.status, 422);
      assert.ok(e.errors["Idempotency-Key"]?.[0]?.includes("different body"));
      return true;
    });
  });

  test("a bad field is a 400 problem naming each field by its path", async () => {
    const request = reviewCase();
    request.proposal = { text: "x", confidence: 2 };

    await assert.rejects(agent().submit(request), (e: unknown) => {
      assert.ok(e instanceof HandoffProblemError);
      assert.equal(e.status, 400);
      assert.deepEqual(Object.keys(e.errors), ["proposal.confidence"]);
      assert.match(e.message, /^Handoff answered 400 .*proposal\.confidence: Must be between 0 and 1\./);
      return true;
    });
  });

  test("an unknown case is a 404 problem with the server's detail", async () => {
    await assert.rejects(agent().getCase("cs_00000000000000000000000000000000"), (e: unknown) => {
      assert.ok(e instanceof HandoffProblemError);
      assert.equal(e.status, 404);
      assert.match(e.detail ?? "", /No case/);
      return true;
    });
  });

  test("an agent key may not decide: 403", async () => {
    const submitted = await agent().submit(reviewCase());

    await assert.rejects(agent().decide(submitted.id, { verdict: "approve" }), (e: unknown) => e instanceof HandoffProblemError && e.status === 403);
  });

  test("options that cannot be used are refused when the client is made", async () => {
    const { HandoffClient } = await import("@handoff/client");
    assert.throws(() => new HandoffClient({ baseUrl: "" }), /baseUrl is required/);
    assert.throws(() => new HandoffClient({ baseUrl: "not a url" }), /absolute URL/);
    assert.throws(() => new HandoffClient({ baseUrl: "http://127.0.0.1:1", longPollWaitSeconds: 301 }), /longPollWaitSeconds/);
    assert.throws(() => new HandoffClient({ baseUrl: "http://127.0.0.1:1", apiKey: "hk x" }), /apiKey/);
  });

  test("an aborted signal ends a wait at once with its reason", async () => {
    const handoff = agent();
    const submitted = await handoff.submit(reviewCase());
    const controller = new AbortController();
    const waiting = handoff.waitForDecision(submitted, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("the customer left")), 200);

    await assert.rejects(waiting, /the customer left/);
  });
});
