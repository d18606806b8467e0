import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import { HandoffWebhook, HandoffWebhookError, type HandoffWebhookEvent } from "@handoff/client";
import { agent, reviewCase, reviewer, server } from "./support/env.js";
import { standIn } from "./support/standIn.js";

// The Standard Webhooks libraries' published vector (standard-webhooks, libraries/csharp/StandardWebhooks.Tests and
// libraries/python/tests), which the .NET SDK's HandoffWebhookTests use too.
const specSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const specBody = '{"test": 2432232314}';
const specHeaders = (signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=") => ({
  "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
  "webhook-timestamp": "1614265330",
  "webhook-signature": signature,
});
const at = (seconds: number) => () => new Date(seconds * 1000);

function refusal(reason: string) {
  return (e: unknown) => e instanceof HandoffWebhookError && e.reason === reason;
}

describe("webhook signatures", () => {
  test("the spec libraries' vector passes the signature, though its body is no Handoff event", () => {
    for (const secret of [specSecret, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]) {
      assert.throws(() => new HandoffWebhook(secret, { now: at(1614265330) }).verify(specHeaders(), specBody), refusal("invalidBody"));
    }
  });

  test("the vector with its signature or its body changed by one character matches nothing", () => {
    const webhook = new HandoffWebhook(specSecret, { now: at(1614265330) });

    assert.throws(() => webhook.verify(specHeaders("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="), specBody), refusal("noMatchingSignature"));
    assert.throws(() => webhook.verify(specHeaders(), '{"test": 2432232315}'), refusal("noMatchingSignature"));
  });

  test("a delivery signed like the server signs verifies, from a rotation's old secret too, skipping other versions", () => {
    const oldKey = Buffer.alloc(32, 7);
    const newKey = Buffer.alloc(32, 9);
    const body = '{"type":"case.decided","timestamp":"2026-12-01T09:59:58.512Z","data":{"case":{"id":"cs_7"}}}';
    const sign = (key: Buffer) => createHmac("sha256", key).update(`evt_42_0.1796117044.${body}`).digest("base64");
    const headers = new Headers({
      "webhook-id": "evt_42_0",
      "webhook-timestamp": "1796117044",
      "webhook-signature": `v1a,whatever v1,${sign(newKey)} v1,${sign(oldKey)}`,
    });

    const e = new HandoffWebhook(["whsec_" + oldKey.toString("base64")], { now: at(1796117044 + 2) }).verify(headers, Buffer.from(body));

    assert.deepEqual([e.id, e.type, e.timestamp.toISOString()], ["evt_42_0", "case.decided", "2026-12-01T09:59:58.512Z"]);
  });

  test("a delivery outside the tolerance, without its headers or with a bad timestamp is refused", () => {
    const webhook = new HandoffWebhook(specSecret, { now: at(1614265330) });
    const late = new HandoffWebhook(specSecret, { now: at(1614265330 + 301) });
    const early = new HandoffWebhook(specSecret, { now: at(1614265330 - 301) });

    assert.throws(() => late.verify(specHeaders(), specBody), refusal("tooOld"));
    assert.throws(() => early.verify(specHeaders(), specBody), refusal("tooNew"));
    assert.throws(() => webhook.verify({ "webhook-id": "x", "webhook-timestamp": "1614265330" }, specBody), refusal("missingHeader"));
    assert.throws(() => webhook.verify({ ...specHeaders(), "webhook-timestamp": "16142653.30" }, specBody), refusal("badTimestamp"));
  });

  test("a tolerance that is no number of seconds (NaN from an unset variable, infinite, negative) is refused", () => {
    for (const toleranceSeconds of [Number(undefined), Infinity, -1]) {
      assert.throws(() => new HandoffWebhook(specSecret, { toleranceSeconds }), RangeError);
    }
  });

  test("a real delivery from the server verifies at a receiver on this machine", async () => {
    const admin = { Authorization: `Bearer ${server.adminKey}`, "Content-Type": "application/json" };
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    let arrived: () => void = () => undefined;
    let caseId: string | undefined;
    const receiver = await standIn((req, res, body) => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
      if (caseId && body.includes(caseId)) {
        arrived();
      }
    });
    const created = await fetch(`${server.url}/v1/webhooks`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ url: `${receiver.url}/hooks/handoff`, eventTypes: ["case.decided"], description: "ts sdk test" }),
    });
    assert.equal(created.status, 201);
    const endpoint = (await created.json()) as { id: string; secret: string };
    try {
      const delivered = new Promise<void>((r) => (arrived = r));
      const submitted = await agent().submit(reviewCase());
      caseId = submitted.id;
      await reviewer().decide(submitted.id, { verdict: "approve" });
      await Promise.race([delivered, new Promise((_, fail) => setTimeout(() => fail(new Error("no delivery arrived")), 60_000).unref())]);

      const delivery = received.find((d) => d.body.includes(submitted.id))!;
      const e: HandoffWebhookEvent = new HandoffWebhook(endpoint.secret).verify(delivery.headers, delivery.body);
      assert.equal(e.type, "case.decided");
      assert.equal((e.data as { case: { id: string } }).case.id, submitted.id);
      assert.throws(() => new HandoffWebhook("whsec_" + Buffer.alloc(32, 1).toString("base64")).verify(delivery.headers, delivery.body), refusal("noMatchingSignature"));
      assert.throws(() => new HandoffWebhook(endpoint.secret).verify(delivery.headers, delivery.body.replace("approved", "rejected")), refusal("noMatchingSignature"));
    } finally {
      await fetch(`${server.url}/v1/webhooks/${endpoint.id}`, { method: "DELETE", headers: admin });
      await receiver.close();
    }
  });
});
