import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { describe, test } from "node:test";
import { type CaseEvent, HandoffClient } from "@handoff/client";
import { agent, reviewCase, reviewer, server } from "./support/env.js";
import { standIn } from "./support/standIn.js";

async function collect(events: AsyncIterable<CaseEvent>, until?: (e: CaseEvent) => boolean): Promise<CaseEvent[]> {
  const seen: CaseEvent[] = [];
  for await (const e of events) {
    seen.push(e);
    if (until?.(e)) {
      break;
    }
  }

  return seen;
}

/** A decided case with a claim between: created, claimed, decided. */
async function decidedCase() {
  const submitted = await agent().submit(reviewCase());
  await reviewer().claim(submitted.id);
  await reviewer().decide(submitted.id, { verdict: "approve" });
  return submitted;
}

describe("a case's events", () => {
  test("a closed case's stream gives its history and ends at the end event", async () => {
    const submitted = await decidedCase();

    const events = await collect(agent().events(submitted.id, { signal: AbortSignal.timeout(30_000) }));

    assert.deepEqual(
      events.map((e) => e.action),
      ["case.created", "case.claimed", "case.decided"],
    );
    assert.equal(events[2]!.data.verdict, "approve");
  });

  test("following after the last event of a closed case ends at once (the server's 204)", async () => {
    const submitted = await decidedCase();
    const all = await collect(agent().events(submitted.id));

    const after = await collect(agent().events(submitted.id, { afterSequence: all.at(-1)!.sequence }));

    assert.deepEqual(after, []);
  });

  test("a live stream yields the decision as it happens and then ends", async () => {
    const handoff = agent();
    const submitted = await handoff.submit(reviewCase());
    const following = collect(handoff.events(submitted.id, { signal: AbortSignal.timeout(30_000) }), (e) => {
      if (e.action === "case.created") {
        void reviewer().decide(submitted.id, { verdict: "reject", text: "No." });
      }

      return false;
    });

    const events = await following;

    assert.deepEqual(
      events.map((e) => e.action),
      ["case.created", "case.decided"],
    );
  });

  test("a stream cut in the middle is resumed after the last event, losing and repeating none", async () => {
    const submitted = await decidedCase();
    const lastEventIds: (string | undefined)[] = [];
    // A proxy that passes the server's stream on, but cuts the first connection right after its first event.
    const proxy = await standIn((req, res) => {
      lastEventIds.push(req.headers["last-event-id"] as string | undefined);
      const first = lastEventIds.length === 1;
      const upstream = httpRequest(server.url + req.url, { headers: { ...req.headers, host: new URL(server.url).host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        let text = "";
        let cut = false;
        up.on("data", (chunk: Buffer) => {
          if (!first) {
            res.write(chunk);
            return;
          }

          text += chunk.toString("utf8");
          const end = text.indexOf("\n\n");
          if (end >= 0 && !cut) {
            cut = true;
            up.destroy();
            // Cut once the event is on its way: the client holds it, then sees the connection break mid-stream.
            res.write(text.slice(0, end + 2), () => setTimeout(() => res.socket?.destroy(), 100));
          }
        });
        up.on("error", () => undefined);
        up.on("end", () => {
          if (!cut) {
            res.end();
          }
        });
      });
      upstream.end();
    });
    try {
      const handoff = new HandoffClient({ baseUrl: proxy.url, apiKey: server.agentKey, retryBaseDelayMs: 10, retryMaxDelayMs: 50 });

      const events = await collect(handoff.events(submitted.id, { signal: AbortSignal.timeout(30_000) }));

      assert.deepEqual(
        events.map((e) => e.action),
        ["case.created", "case.claimed", "case.decided"],
      );
      assert.equal(new Set(events.map((e) => e.sequence)).size, 3);
      assert.deepEqual(lastEventIds, [undefined, String(events[0]!.sequence)]);
    } finally {
      await proxy.close();
    }
  });

  test("an escalated case's stream goes on through the escalation until the decision", async () => {
    const handoff = agent({ longPollWaitSeconds: 1 });
    const submitted = await handoff.submit(reviewCase({ expiresIn: 1, onTimeout: "escalate" }));
    const events = await collect(handoff.events(submitted.id, { signal: AbortSignal.timeout(60_000) }), (e) => {
      if (e.action === "case.expired") {
        assert.equal(e.data.effect, "escalate");
        void reviewer().decide(submitted.id, { verdict: "approve" });
      }

      return false;
    });

    assert.deepEqual(
      events.map((e) => e.action).filter((a) => a !== "case.slaWarning"),
      ["case.created", "case.expired", "case.decided"],
    );
  });
});

describe("the workspace's events", () => {
  test("an agent's stream carries its cases' events, each naming its case, and resumes after a given sequence", async () => {
    const handoff = agent();
    const submitted = await handoff.submit(reviewCase());
    // Where the log stood just before this case: read from its own stream, so that nothing depends on timing.
    const [created] = await collect(handoff.events(submitted.id), () => true);
    const controller = new AbortController();
    const seen: CaseEvent[] = [];
    const following = (async () => {
      try {
        for await (const e of handoff.allEvents({ afterSequence: created!.sequence - 1, signal: controller.signal })) {
          if (e.caseId === submitted.id) {
            seen.push(e);
            if (e.action === "case.created") {
              await reviewer().decide(submitted.id, { verdict: "approve" });
            } else if (e.action === "case.decided") {
              controller.abort();
            }
          }
        }
      } catch (e) {
        if (!controller.signal.aborted) {
          throw e;
        }
      }
    })();
    await following;

    assert.deepEqual(
      seen.map((e) => e.action),
      ["case.created", "case.decided"],
    );
    assert.equal(seen[0]!.sequence, created!.sequence);

    const resumed = new AbortController();
    const after: CaseEvent[] = [];
    try {
      for await (const e of handoff.allEvents({ afterSequence: seen[0]!.sequence, signal: resumed.signal })) {
        if (e.caseId === submitted.id) {
          after.push(e);
          resumed.abort();
        }
      }
    } catch (e) {
      if (!resumed.signal.aborted) {
        throw e;
      }
    }

    assert.deepEqual(
      after.map((e) => e.sequence),
      [seen[1]!.sequence],
    );
  });

  // The timeout turns a client that never notices the silence into a failure instead of a hung suite.
  test("a stream that falls silent (a connection dead without a word) is reopened after the last position", { timeout: 30_000 }, async () => {
    // A stand-in that names position 41, then says nothing more; the second connection is recorded and answered 503.
    const resumes: (string | undefined)[] = [];
    let reopened: () => void = () => undefined;
    const second = new Promise<void>((r) => (reopened = r));
    const proxy = await standIn((req, res) => {
      if (resumes.length === 0 && req.headers["last-event-id"] === undefined && !res.headersSent && resumes.push(undefined) === 1) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(": keep-alive\nid: 41\n\n");
        return; // never a byte more
      }

      resumes.push(req.headers["last-event-id"] as string | undefined);
      res.writeHead(503, { "content-type": "application/problem+json" }).end(JSON.stringify({ title: "Service Unavailable", status: 503 }));
      reopened();
    });
    const controller = new AbortController();
    try {
      const handoff = new HandoffClient({ baseUrl: proxy.url, apiKey: server.agentKey, streamIdleTimeoutMs: 300, retryBaseDelayMs: 10, retryMaxDelayMs: 20 });
      const following = collect(handoff.allEvents({ signal: controller.signal })).catch((e: unknown) => {
        if (!controller.signal.aborted) {
          throw e;
        }
      });
      await second;
      controller.abort();
      await following;

      assert.equal(resumes[1], "41");
    } finally {
      await proxy.close();
    }
  });
});
