/** What a retry is about to do; handed to {@link HandoffClientOptions.onRetry}. */
export interface RetryInfo {
  method: string;
  path: string;
  /** The try that failed, from 1. */
  attempt: number;
  /** The pause before the next try, in milliseconds (a server's Retry-After raises it, up to `retryMaxDelayMs`). */
  delayMs: number;
  /** The status that was answered, or undefined for a network failure or a timeout. */
  status: number | undefined;
  /** What went wrong. */
  error: unknown;
}

/** Where the Handoff server is, the key to use, and how patiently to wait and retry. Checked when the client is made. */
export interface HandoffClientOptions {
  /** The server, such as `http://127.0.0.1:5080`; a path is kept (`https://host/handoff/`). Required. */
  baseUrl: string | URL;
  /** The API key (`hk_…`), sent as `Authorization: Bearer`; submitting needs an agent key, deciding a reviewer's. Default: none. */
  apiKey?: string;
  /** How long one long-poll asks the server to hold a request (`?wait=`, whole seconds, 1–300); renewed for as long as it takes. Default: 60. */
  longPollWaitSeconds?: number;
  /** How long one request may take before it counts as failed and is retried; a long-poll gets this on top of its wait. Default: 30 000 ms. */
  requestTimeoutMs?: number;
  /**
   * How long an event stream may stay silent before it counts as broken and is reopened (the server writes a
   * keep-alive every 15 s, so a half-open connection is noticed). Default: 60 000 ms.
   */
  streamIdleTimeoutMs?: number;
  /** The first pause before a retry; it doubles each time up to {@link retryMaxDelayMs}, less a random part of up to half. Default: 1 000 ms. */
  retryBaseDelayMs?: number;
  /** The longest pause between tries (a server's Retry-After is capped to it too). Default: 30 000 ms. */
  retryMaxDelayMs?: number;
  /** Tries for a single call (submit, get, decide, receipt); waiting and following events retry for as long as the signal allows. Default: 5. */
  maxAttempts?: number;
  /** The fetch to use. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Called before each pause between tries, for logging. Default: nothing. */
  onRetry?: (info: RetryInfo) => void;
}

/** The options with every default filled in. */
export interface ResolvedOptions {
  root: URL;
  apiKey: string | undefined;
  longPollWaitSeconds: number;
  requestTimeoutMs: number;
  streamIdleTimeoutMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  maxAttempts: number;
  fetch: typeof fetch;
  onRetry: ((info: RetryInfo) => void) | undefined;
}

/** Fills in the defaults and checks the options; throws a TypeError or RangeError naming the one that cannot be used. */
export function resolveOptions(options: HandoffClientOptions): ResolvedOptions {
  if (options === undefined || options === null || options.baseUrl === undefined || options.baseUrl === "") {
    throw new TypeError("HandoffClientOptions.baseUrl is required (the server, such as http://127.0.0.1:5080).");
  }

  let root: URL;
  try {
    root = new URL(options.baseUrl);
  } catch (e) {
    throw new TypeError(`HandoffClientOptions.baseUrl must be an absolute URL; got '${String(options.baseUrl)}'.`, { cause: e });
  }

  if (!root.pathname.endsWith("/")) {
    root.pathname += "/";
  }

  const apiKey = options.apiKey;
  if (apiKey !== undefined && (apiKey.length === 0 || /\s/.test(apiKey))) {
    throw new TypeError("HandoffClientOptions.apiKey must not be empty or contain white space.");
  }

  const resolved: ResolvedOptions = {
    root,
    apiKey,
    longPollWaitSeconds: options.longPollWaitSeconds ?? 60,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    streamIdleTimeoutMs: options.streamIdleTimeoutMs ?? 60_000,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 1_000,
    retryMaxDelayMs: options.retryMaxDelayMs ?? 30_000,
    maxAttempts: options.maxAttempts ?? 5,
    fetch: options.fetch ?? globalThis.fetch,
    onRetry: options.onRetry,
  };
  if (!Number.isInteger(resolved.longPollWaitSeconds) || resolved.longPollWaitSeconds < 1 || resolved.longPollWaitSeconds > 300) {
    throw new RangeError("HandoffClientOptions.longPollWaitSeconds must be a whole number from 1 to 300.");
  }

  if (!(resolved.requestTimeoutMs > 0) || !(resolved.retryBaseDelayMs > 0) || !(resolved.retryMaxDelayMs >= resolved.retryBaseDelayMs)) {
    throw new RangeError(
      "HandoffClientOptions: requestTimeoutMs and retryBaseDelayMs must be positive, and retryMaxDelayMs at least retryBaseDelayMs.",
    );
  }

  if (!(resolved.streamIdleTimeoutMs > 0) || !Number.isFinite(resolved.streamIdleTimeoutMs)) {
    throw new RangeError("HandoffClientOptions.streamIdleTimeoutMs must be a positive number of milliseconds (more than the server's 15 s keep-alive).");
  }

  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new RangeError("HandoffClientOptions.maxAttempts must be a whole number of at least 1.");
  }

  if (typeof resolved.fetch !== "function") {
    throw new TypeError("HandoffClientOptions.fetch is missing and there is no global fetch (Node 20 or later has one).");
  }

  return resolved;
}
