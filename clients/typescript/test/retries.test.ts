import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HandoffClient, HandoffProblemError, type RetryInfo } from "@handoff/client";
import { reviewCase, server } from "./support/env.js";
import { forward, standIn } from "./support/standIn.js";

describe("retries", () => {
  test("a 503 with Retry-After is retried after that long, with the same Idempotency-Key, and the 201 is taken", async () => {
    const keys: string[] = [];
    let tries = 0;
    const proxy = await standIn(async (req, res, body) => {
      tries++;
      keys.push(String(req.headers["idempotency-key"]));
      if (tries === 1) {
        res.writeHead(503, { "content-type": "application/problem+json", "retry-after": "1" });
        res.end(JSON.stringify({ title: "Service Unavailable", status: 503, detail: "The database is out of reach for a moment." }));
        return;
      }

      const upstream = await forward(server.url, req, body);
      res.writeHead(upstream.status, { "content-type": "application/json" });
      res.end(upstream.text);
    });
    const retries: RetryInfo[] = [];
    try {
      const handoff = new HandoffClient({ baseUrl: proxy.url, apiKey: server.agentKey, retryBaseDelayMs: 10, retryMaxDelayMs: 5_000, onRetry: (i) => retries.push(i) });

      const submitted = await handoff.submit(reviewCase());

      assert.equal(submitted.case.status, "pending");
      assert.equal(tries, 2);
      assert.equal(keys[0], keys[1]);
      assert.equal(keys[0], submitted.idempotencyKey);
      assert.equal(retries.length, 1);
      assert.equal(retries[0]!.status, 503);
      // Computed from the header, not measured: the pause honours the server's Retry-After over the shorter backoff.
      assert.equal(retries[0]!.delayMs, 1_000);
    } finally {
      await proxy.close();
    }
  });

  test("a 500 is a fault, not a passing failure: it is not retried, and comes back as a problem", async () => {
    let tries = 0;
    const proxy = await standIn(async (_req, res) => {
      tries++;
      res.writeHead(500, { "content-type": "application/problem+json" });
      res.end(JSON.stringify({ title: "Internal Server Error", status: 500 }));
    });
    try {
      const handoff = new HandoffClient({ baseUrl: proxy.url, apiKey: server.agentKey, retryBaseDelayMs: 10, retryMaxDelayMs: 50 });

      await assert.rejects(handoff.submit(reviewCase()), (e: unknown) => e instanceof HandoffProblemError && e.status === 500);
      assert.equal(tries, 1);
    } finally {
      await proxy.close();
    }
  });

  test("a connection dropped before the answer is retried, and the server replays the case it already made", async () => {
    let tries = 0;
    const proxy = await standIn(async (req, res, body) => {
      tries++;
      const upstream = await forward(server.url, req, body);
      if (tries === 1) {
        // The case is made, but its answer is lost on the way.
        res.socket?.destroy();
        return;
      }

      res.writeHead(upstream.status, { "content-type": "application/json", ...(upstream.headers.get("idempotent-replayed") ? { "idempotent-replayed": "true" } : {}) });
      res.end(upstream.text);
    });
    try {
      const handoff = new HandoffClient({ baseUrl: proxy.url, apiKey: server.agentKey, retryBaseDelayMs: 10, retryMaxDelayMs: 50 });

      const submitted = await handoff.submit(reviewCase());

      assert.equal(tries, 2);
      assert.equal(submitted.replayed, true);
    } finally {
      await proxy.close();
    }
  });

  test("a server that keeps failing ends the call with the last try's problem once the tries ran out", async () => {
    let tries = 0;
    const proxy = await standIn((_req, res) => {
      tries++;
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>Bad gateway</html>");
    });
    try {
      const handoff = new HandoffClient({ baseUrl: proxy.url, apiKey: server.agentKey, retryBaseDelayMs: 5, retryMaxDelayMs: 10, maxAttempts: 3 });

      await assert.rejects(handoff.getCase("cs_x"), (e: unknown) => e instanceof HandoffProblemError && e.status === 502 && e.detail === "<html>Bad gateway</html>");
      assert.equal(tries, 3);
    } finally {
      await proxy.close();
    }
  });

  test("a 4xx is not retried", async () => {
    let tries = 0;
    const proxy = await standIn((_req, res) => {
      tries++;
      res.writeHead(404, { "content-type": "application/problem+json" });
      res.end(JSON.stringify({ title: "Not Found", status: 404, detail: "No case 'cs_x' in this workspace." }));
    });
    try {
      const handoff = new HandoffClient({ baseUrl: proxy.url, apiKey: server.agentKey, retryBaseDelayMs: 5 });

      await assert.rejects(handoff.getCase("cs_x"), (e: unknown) => e instanceof HandoffProblemError && e.status === 404);
      assert.equal(tries, 1);
    } finally {
      await proxy.close();
    }
  });
});
