import { HandoffProblemError, HandoffTimeoutError } from "./errors.js";
import type { ResolvedOptions } from "./options.js";

/** An answer that was read whole. */
export interface Reply {
  status: number;
  statusText: string;
  headers: Headers;
  body: string;
}

export interface SendOptions {
  json?: unknown;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Undefined: no limit (waits). */
  maxAttempts: number | undefined;
  signal: AbortSignal | undefined;
}

/**
 * A passing failure: 408, 429, 502, 503 and 504 (a server restarting, a proxy in between, a database out of reach
 * for a moment), as the .NET and Python SDKs have it; a 500 is a fault that the same request would meet again.
 */
export function isPassingStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 502 || status === 503 || status === 504;
}

/** Turns an error answer into a {@link HandoffProblemError}. */
export function problemFrom(reply: Reply): HandoffProblemError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    // Not JSON: an error page from something in between, such as a proxy.
  }

  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    const text = reply.body.trim();
    return new HandoffProblemError(reply.status, reply.statusText || undefined, text.length > 500 ? text.slice(0, 500) + "…" : text || undefined);
  }

  let type: string | undefined, title: string | undefined, detail: string | undefined;
  const errors: Record<string, string[]> = {};
  const extensions: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    switch (name) {
      case "type":
        type = typeof value === "string" ? value : undefined;
        break;
      case "title":
        title = typeof value === "string" ? value : undefined;
        break;
      case "detail":
        detail = typeof value === "string" ? value : undefined;
        break;
      case "status":
        break; // the response's own status is the one that counts
      case "errors":
        if (value !== null && typeof value === "object" && !Array.isArray(value)) {
          for (const [field, messages] of Object.entries(value as Record<string, unknown>)) {
            errors[field] = (Array.isArray(messages) ? messages : [messages]).map((m) => (typeof m === "string" ? m : JSON.stringify(m)));
          }

          break;
        }

        extensions[name] = value;
        break;
      default:
        extensions[name] = value;
    }
  }

  return new HandoffProblemError(reply.status, title ?? (reply.statusText || undefined), detail, type, errors, extensions);
}

/** The HTTP side of the client: requests with the key, timeouts, and retries with backoff. */
export class Http {
  constructor(readonly options: ResolvedOptions) {}

  url(path: string): URL {
    return new URL(path, this.options.root);
  }

  headers(extra?: Record<string, string>): Headers {
    const headers = new Headers(extra);
    if (this.options.apiKey !== undefined) {
      headers.set("Authorization", `Bearer ${this.options.apiKey}`);
    }

    return headers;
  }

  /**
   * Sends a request until it gets an answer that is not a passing failure, or {@link SendOptions.maxAttempts} tries met
   * one. The caller's signal ends it at once, with the signal's reason.
   */
  async send(method: string, path: string, o: SendOptions): Promise<Reply> {
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      let status: number | undefined;
      let retryAfterMs: number | undefined;
      let timedOut = false;
      const timeout = AbortSignal.timeout(o.timeoutMs);
      const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
      try {
        const headers = this.headers(o.headers);
        if (o.json !== undefined) {
          headers.set("Content-Type", "application/json");
        }

        if (o.idempotencyKey !== undefined) {
          headers.set("Idempotency-Key", o.idempotencyKey);
        }

        const response = await this.options.fetch(this.url(path), {
          method,
          headers,
          body: o.json === undefined ? undefined : JSON.stringify(o.json),
          signal,
        });
        const reply: Reply = { status: response.status, statusText: response.statusText, headers: response.headers, body: await response.text() };
        if (!isPassingStatus(reply.status)) {
          return reply;
        }

        status = reply.status;
        retryAfterMs = retryAfter(reply.headers.get("Retry-After"));
        failure = problemFrom(reply);
      } catch (e) {
        o.signal?.throwIfAborted();
        timedOut = timeout.aborted;
        if (!timedOut && !isNetworkError(e)) {
          throw e;
        }

        failure = e;
      }

      if (o.maxAttempts !== undefined && attempt >= o.maxAttempts) {
        // Our own timeout must not pass for the caller's cancellation.
        throw timedOut
          ? new HandoffTimeoutError(`Handoff did not answer ${method} /${path} within ${o.timeoutMs} ms.`, { cause: failure })
          : failure;
      }

      const delayMs = this.backoff(attempt, retryAfterMs);
      this.options.onRetry?.({ method, path, attempt, delayMs, status, error: failure });
      await sleep(delayMs, o.signal);
    }
  }

  /** Exponential backoff with jitter: the pause doubles each try up to the cap, less a random part of up to half. */
  backoff(attempt: number, retryAfterMs?: number): number {
    const ceiling = Math.min(this.options.retryBaseDelayMs * 2 ** Math.min(attempt - 1, 30), this.options.retryMaxDelayMs);
    const delay = ceiling * (1 - Math.random() / 2);
    return retryAfterMs !== undefined && retryAfterMs > delay ? Math.min(retryAfterMs, this.options.retryMaxDelayMs) : delay;
  }
}

/** Retry-After as seconds or as an HTTP date, in milliseconds from now. */
export function retryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === "") {
    return undefined;
  }

  const text = header.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }

  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * A connection that could not be made or broke: undici's fetch reports both as a TypeError ("fetch failed",
 * "terminated"), with the socket's error as its cause.
 */
export function isNetworkError(e: unknown): boolean {
  return e instanceof TypeError || (e instanceof Error && (e.name === "SocketError" || "code" in e));
}

/** Waits, or throws the signal's reason as soon as it is aborted. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }

    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
