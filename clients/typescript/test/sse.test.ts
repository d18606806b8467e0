import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SseParser } from "../dist/sse.js";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) {
        controller.enqueue(encoder.encode(c));
      }

      controller.close();
    },
  });
}

async function all(parser: SseParser, body: ReadableStream<Uint8Array>) {
  const out = [];
  for await (const e of parser.parse(body)) {
    out.push(e);
  }

  return out;
}

describe("the SSE parser", () => {
  test("dispatches events at empty lines, joining data lines and keeping the last id", async () => {
    const events = await all(new SseParser(), streamOf("id: 1\nevent: case.created\ndata: {\"a\":\ndata: 1}\n\n", ": keep-alive\n\n", "data: x\n\n"));

    assert.deepEqual(events, [
      { event: "case.created", data: '{"a":\n1}', lastEventId: "1" },
      { event: "message", data: "x", lastEventId: "1" },
    ]);
  });

  test("reads CRLF and CR line ends, also split across chunks", async () => {
    const events = await all(new SseParser(), streamOf("id: 7\r", "\nevent: e\r\ndata: y\r", "\r", "data: z\r\r"));

    assert.deepEqual(
      events.map((e) => [e.event, e.data, e.lastEventId]),
      [
        ["e", "y", "7"],
        ["message", "z", "7"],
      ],
    );
  });

  test("an id without data moves the position and dispatches nothing; an unfinished block is dropped, its id too", async () => {
    const parser = new SseParser();

    const events = await all(parser, streamOf("id: 42\n\n", "event: case.decided\nid: 43\ndata: cut off"));

    // A reconnect asks for what follows 42, so the event cut off (43) comes again.
    assert.deepEqual(events, []);
    assert.equal(parser.lastEventId, "42");
  });

  test("a multi-byte character split across chunks is decoded whole", async () => {
    const bytes = new TextEncoder().encode("data: é😀\n\n");
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 7));
        c.enqueue(bytes.slice(7));
        c.close();
      },
    });

    assert.equal((await all(new SseParser(), body))[0]!.data, "é😀");
  });
});
