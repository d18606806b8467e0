/** One event of a `text/event-stream`, as the HTML standard's parsing rules dispatch it. */
export interface SseEvent {
  /** The `event:` field; `message` when absent. */
  event: string;
  /** The `data:` lines, joined with newlines. */
  data: string;
  /** The last event id in force when it was dispatched (an `id:` field persists until the next one). */
  lastEventId: string;
}

/**
 * A small parser of server-sent events over a fetch body. It keeps {@link lastEventId} up to date also for blocks that
 * carry an `id:` and no data (Handoff's workspace stream names its position that way), which dispatch nothing. As the
 * HTML standard has it, an `id:` takes effect when its block ends (the empty line): a stream cut inside a block leaves
 * the id of the last whole block, so a reconnect asks again for the event that was cut off.
 */
export class SseParser {
  lastEventId = "";
  #idBuffer: string | undefined;

  async *parse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
    const decoder = new TextDecoder("utf-8");
    const reader = body.getReader();
    let buffer = "";
    let event = "";
    let data: string[] = [];
    // A CR at the very end of a chunk may be half of a CRLF: the next chunk decides.
    let pendingCr = false;
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) {
          // A block not closed by an empty line is not dispatched (HTML, "9.2.6 Interpreting an event stream").
          return;
        }

        let text = decoder.decode(value, { stream: true });
        if (pendingCr && text.startsWith("\n")) {
          text = text.slice(1);
        }

        pendingCr = false;
        buffer += text;
        let start = 0;
        for (let i = 0; i < buffer.length; i++) {
          const c = buffer[i];
          if (c !== "\n" && c !== "\r") {
            continue;
          }

          const line = buffer.slice(start, i);
          if (c === "\r") {
            if (i + 1 < buffer.length) {
              if (buffer[i + 1] === "\n") {
                i++;
              }
            } else {
              pendingCr = true;
            }
          }

          start = i + 1;
          if (line === "") {
            if (this.#idBuffer !== undefined) {
              this.lastEventId = this.#idBuffer;
            }

            if (data.length > 0) {
              yield { event: event || "message", data: data.join("\n"), lastEventId: this.lastEventId };
            }

            event = "";
            data = [];
            continue;
          }

          if (line.startsWith(":")) {
            continue; // a comment, such as Handoff's keep-alive
          }

          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          let v = colon < 0 ? "" : line.slice(colon + 1);
          if (v.startsWith(" ")) {
            v = v.slice(1);
          }

          switch (field) {
            case "event":
              event = v;
              break;
            case "data":
              data.push(v);
              break;
            case "id":
              if (!v.includes("\0")) {
                this.#idBuffer = v;
              }

              break;
            default:
              break; // "retry" and unknown fields: the client keeps its own backoff
          }
        }

        buffer = buffer.slice(start);
      }
    } finally {
      // Stops the body when the consumer leaves early (or the stream broke), so the connection is not left open.
      await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
}
