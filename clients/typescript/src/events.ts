import { HandoffProblemError } from "./errors.js";
import { type Http, isNetworkError, isPassingStatus, problemFrom, retryAfter, sleep } from "./http.js";
import { SseParser } from "./sse.js";
import type { CaseEvent } from "./types.js";

// The event after a closed case's last entry (its data is the final status); not an entry of the history.
const endEvent = "end";

/**
 * Follows one case's events: history first, then each change, until the server's `end` event or a 204 (everything
 * after `after` was delivered and the case is closed). A dropped connection is reconnected with backoff after the
 * last event received (`Last-Event-ID`), so no event is lost or repeated.
 */
export async function* followCase(
  http: Http,
  caseId: string,
  after: number | undefined,
  isOpen: () => Promise<boolean>,
  signal: AbortSignal | undefined,
): AsyncGenerator<CaseEvent> {
  let last = after;
  let failures = 0;
  while (true) {
    const stream = await open(http, `v1/cases/${encodeURIComponent(caseId)}/events`, last, signal);
    if (stream === undefined) {
      return;
    }

    let broken = false;
    let ended = false;
    try {
      for await (const item of new SseParser().parse(stream.body)) {
        if (item.event === endEvent) {
          ended = true;
          break;
        }

        const e = JSON.parse(item.data) as CaseEvent;
        last = e.sequence;
        failures = 0;
        yield e;
      }
    } catch (e) {
      signal?.throwIfAborted();
      if (!isNetworkError(e)) {
        throw e;
      }

      broken = true;
    } finally {
      stream.release();
    }

    if (ended) {
      return;
    }

    // The server ends a closed case's stream with its end event; a stream that ends without one was cut by something
    // in between and is picked up again like a broken one, unless the case is closed.
    if (!broken && !(await isOpen())) {
      return;
    }

    await sleep(http.backoff(++failures), signal);
  }
}

/**
 * Follows every case the key may see (`GET /v1/events`) from now on, or after `after`, until the signal ends it: the
 * stream never ends by itself, so whatever ended a connection was in between, and it is reopened after the last
 * position the server named (events and the bare `id:` lines it sends at the start and with each keep-alive).
 */
export async function* followWorkspace(http: Http, after: number | undefined, signal: AbortSignal | undefined): AsyncGenerator<CaseEvent> {
  let last = after;
  let failures = 0;
  while (true) {
    const stream = await open(http, "v1/events", last, signal);
    const parser = new SseParser();
    try {
      for await (const item of parser.parse(stream!.body)) {
        const e = JSON.parse(item.data) as CaseEvent;
        last = e.sequence;
        failures = 0;
        yield e;
      }
    } catch (e) {
      signal?.throwIfAborted();
      if (!isNetworkError(e)) {
        throw e;
      }
    } finally {
      stream!.release();
    }

    const position = /^\d+$/.test(parser.lastEventId) ? Number(parser.lastEventId) : undefined;
    if (position !== undefined && position > (last ?? -1)) {
      last = position;
    }

    await sleep(http.backoff(++failures), signal);
  }
}

/**
 * Connects, retrying passing failures for as long as the signal allows; hands back the body of the 200 (with
 * `release`, to call when done with it: it lets go of the caller's signal), or undefined for 204. The request timeout
 * covers the headers only: the body is read for as long as the stream lasts.
 */
async function open(
  http: Http,
  path: string,
  after: number | undefined,
  signal: AbortSignal | undefined,
): Promise<{ body: ReadableStream<Uint8Array>; release: () => void } | undefined> {
  for (let attempt = 1; ; attempt++) {
    let failure: unknown;
    let status: number | undefined;
    let waitMs: number | undefined;
    const connected = new AbortController();
    const timer = setTimeout(() => connected.abort(new Error("timeout")), http.options.requestTimeoutMs);
    const onAbort = () => connected.abort(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    let streaming = false;
    try {
      const headers = http.headers({ Accept: "text/event-stream" });
      if (after !== undefined) {
        headers.set("Last-Event-ID", String(after));
      }

      const response = await http.options.fetch(http.url(path), { headers, signal: connected.signal });
      clearTimeout(timer);
      if (response.status === 200 && response.body) {
        // The body keeps the controller's signal, so the caller's abort still ends the stream; the timer is gone. A
        // stream silent for longer than the keep-alives allow is a connection that died without a word: it is cut
        // here (as a network error), and reopened after the last position.
        streaming = true;
        const silent = http.options.streamIdleTimeoutMs;
        const watch = idleWatch(silent, () => connected.abort(new TypeError(`The event stream was silent for ${silent} ms.`)));
        return {
          body: response.body.pipeThrough(watch.stream),
          release: () => {
            watch.stop();
            signal?.removeEventListener("abort", onAbort);
          },
        };
      }

      if (response.status === 204) {
        return undefined;
      }

      const reply = { status: response.status, statusText: response.statusText, headers: response.headers, body: await response.text() };
      if (!isPassingStatus(reply.status)) {
        throw problemFrom(reply);
      }

      status = reply.status;
      waitMs = retryAfter(reply.headers.get("Retry-After"));
      failure = problemFrom(reply);
    } catch (e) {
      signal?.throwIfAborted();
      if (e instanceof HandoffProblemError || !(isNetworkError(e) || connected.signal.aborted)) {
        throw e;
      }

      failure = e;
    } finally {
      clearTimeout(timer);
      if (!streaming) {
        signal?.removeEventListener("abort", onAbort);
      }
    }

    const delayMs = http.backoff(attempt, waitMs);
    http.options.onRetry?.({ method: "GET", path, attempt, delayMs, status, error: failure });
    await sleep(delayMs, signal);
  }
}

/** Passes the bytes through, calling `onIdle` when none came for `ms`, until `stop`; the timer never holds the process open. */
function idleWatch(ms: number, onIdle: () => void): { stream: TransformStream<Uint8Array, Uint8Array>; stop: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, ms);
    timer.unref?.();
  };
  const stop = () => clearTimeout(timer);
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    start: arm,
    transform(chunk, controller) {
      arm();
      controller.enqueue(chunk);
    },
    flush: stop,
  });
  return { stream, stop };
}
