import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HandoffClient, ProposalDigestMismatchError, canonicalJson, proposalDigest } from "@handoff/client";
import { agent, reviewCase, reviewer, server } from "./support/env.js";
import { forward, standIn } from "./support/standIn.js";

describe("canonical JSON and digests", () => {
  test("the documented vectors hash as docs/api.md says", () => {
    assert.equal(
      proposalDigest({
        text: "I have issued a full refund of 1450 EUR.",
        action: { name: "issue_refund", arguments: { orderId: "B-11872", amount: 1450 } },
        confidence: 0.88,
      }),
      "d71e16b8fc56a124cfef0e495485d43bdcb0b4a9ceea840c8a74495c8454a163",
    );
    assert.equal(proposalDigest({ text: "We open at 9.", confidence: 0.97 }), "637ed52293c38dbcb217a902a2a79c6f1f2f12246671ac7b27c46ec49911f3e7");
    assert.equal(proposalDigest(null), proposalDigest(undefined));
  });

  test("keys are sorted by UTF-16 code unit, nulls dropped, numbers written as ECMAScript does", () => {
    assert.equal(
      canonicalJson({ b: 1, a: null, "\u{1F600}": 1, "\uFF61": 2, n: [100.0, 1e21, 1e-7, 0.000001, -0, 1e20], s: 'é"\\\n\u0001\u2028' }),
      '{"b":1,"n":[100,1e+21,1e-7,0.000001,0,100000000000000000000],"s":"é\\"\\\\\\n\\u0001\u2028","\u{1F600}":1,"\uFF61":2}',
    );
  });

  test("the digest of an awkward proposal is the one the server computes", async () => {
    const handoff = agent();
    const request = reviewCase();
    request.proposal = {
      text: "Ünïcödé, \"quotes\", \\ and a tab\t and U+2028 \u2028 and 😀",
      action: {
        name: "issue_refund",
        arguments: { z: 1, a: [1.5, 100.0, 1e21, 1e-7, 0.1 + 0.2, -0, 123456789012], nested: { "\uFF61": true, "\u{1F600}": false, none: null }, ctl: "\u0001" },
      },
      confidence: 0.5,
    };
    const submitted = await handoff.submit(request);

    let created: number | undefined;
    for await (const e of handoff.events(submitted.id, { signal: AbortSignal.timeout(30_000) })) {
      assert.equal(e.action, "case.created");
      assert.equal(e.data.proposalDigest, submitted.proposalDigest);
      created = e.sequence;
      break;
    }

    assert.ok(created !== undefined);
  });
});

describe("fail closed", () => {
  /** A stand-in between the client and the server that rewrites the decision's answer. */
  async function tampering(change: (answer: { decision: Record<string, unknown> }) => void) {
    return standIn(async (req, res, body) => {
      const upstream = await forward(server.url, req, body);
      let text = upstream.text;
      if (req.url?.includes("/decision") && upstream.status === 200) {
        const answer = JSON.parse(text) as { decision: Record<string, unknown> };
        change(answer);
        text = JSON.stringify(answer);
      }

      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      res.end(text);
    });
  }

  async function decidedThrough(proxyUrl: string, verdict: "approve" | "edit") {
    const handoff = new HandoffClient({ baseUrl: proxyUrl, apiKey: server.agentKey, longPollWaitSeconds: 5 });
    const submitted = await handoff.submit(reviewCase());
    await reviewer().decide(submitted.id, verdict === "edit" ? { verdict, arguments: { orderId: "B-11872", amount: 900 } } : { verdict });
    return handoff.waitForDecision(submitted);
  }

  test("a result altered on the way is refused: its digest no longer matches", async () => {
    const proxy = await tampering((a) => {
      (a.decision.result as { action: { arguments: { amount: number } } }).action.arguments.amount = 1;
    });
    try {
      await assert.rejects(decidedThrough(proxy.url, "approve"), (e: unknown) => e instanceof ProposalDigestMismatchError && e.digest === "resultDigest");
    } finally {
      await proxy.close();
    }
  });

  test("a decision about another proposal is refused", async () => {
    const proxy = await tampering((a) => {
      a.decision.proposalDigest = "0".repeat(64);
    });
    try {
      await assert.rejects(decidedThrough(proxy.url, "approve"), (e: unknown) => e instanceof ProposalDigestMismatchError && e.digest === "proposalDigest");
    } finally {
      await proxy.close();
    }
  });

  test("an edit passed off as a plain approval is refused, though its digests agree with each other", async () => {
    const proxy = await tampering((a) => {
      a.decision.verdict = "approve";
    });
    try {
      await assert.rejects(decidedThrough(proxy.url, "edit"), (e: unknown) => e instanceof ProposalDigestMismatchError && e.digest === "resultDigest");
    } finally {
      await proxy.close();
    }
  });

  test("an approval without a result is refused", async () => {
    const proxy = await tampering((a) => {
      delete a.decision.result;
      delete a.decision.resultDigest;
    });
    try {
      await assert.rejects(decidedThrough(proxy.url, "approve"), ProposalDigestMismatchError);
    } finally {
      await proxy.close();
    }
  });
});
