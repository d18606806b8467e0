import { createHmac, timingSafeEqual } from "node:crypto";
import { HandoffError } from "./errors.js";

/** Why {@link HandoffWebhook.verify} refused a delivery. */
export type HandoffWebhookFailure =
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent or empty. */
  | "missingHeader"
  /** `webhook-timestamp` is not a whole number of seconds since the Unix epoch. */
  | "badTimestamp"
  /** Signed longer ago than the tolerance: a replay, or this clock is ahead. */
  | "tooOld"
  /** Claims to be signed further ahead than the tolerance: this clock is behind. */
  | "tooNew"
  /** No `v1` signature matches the body under any of the secrets. */
  | "noMatchingSignature"
  /** The signature is right but the body is not a Handoff event (a JSON object with a string `type`). */
  | "invalidBody";

/** A delivery {@link HandoffWebhook} refused; {@link reason} says why. Answer it with 401 and act on nothing in it. */
export class HandoffWebhookError extends HandoffError {
  constructor(
    readonly reason: HandoffWebhookFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A delivery that verified. */
export interface HandoffWebhookEvent {
  /** The event's id (`webhook-id`), the same on every attempt: keep the ids handled and skip repeats. */
  id: string;
  /** `case.decided`, `case.escalated`, `sla.breached`, … */
  type: string;
  /** When it happened (the body's `timestamp`), or when it was signed if the body has none. */
  timestamp: Date;
  /** The event's `data`: the workspace, the case as the API shows it, and the audit entry. */
  data: unknown;
}

/**
 * Where the headers come from: a fetch `Headers`, Node's `IncomingHttpHeaders` (or any record; names matched without
 * regard to case), or a function that returns a header's value.
 */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined> | ((name: string) => string | null | undefined);

export interface HandoffWebhookOptions {
  /** How far the delivery's timestamp may be from this machine's clock, either way. Default: 300 seconds. */
  toleranceSeconds?: number;
  /** The clock. Default: `() => new Date()`. */
  now?: () => Date;
}

const secretPrefix = "whsec_";
const base64Mac = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Verifies the webhooks (and case callbacks) Handoff sends, as Standard Webhooks has it, exactly as the .NET SDK's
 * HandoffWebhook does: `webhook-signature` must carry a `v1` HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}`
 * under one of the secrets, and the timestamp must be within the tolerance of now. Pass the body exactly as received
 * (a string or the raw bytes), before any JSON parsing: re-serialized JSON is another body and fails.
 *
 * Give it both secrets during a rotation: Handoff signs with every secret in force, so either matches.
 */
export class HandoffWebhook {
  readonly #keys: Buffer[];
  readonly #toleranceMs: number;
  readonly #now: () => Date;

  /** @param secrets `whsec_…` as Handoff showed it (the bare base64 is accepted too), or several. */
  constructor(secrets: string | readonly string[], options: HandoffWebhookOptions = {}) {
    const list = typeof secrets === "string" ? [secrets] : [...secrets];
    if (list.length === 0) {
      throw new TypeError("At least one webhook secret is needed.");
    }

    this.#keys = list.map(key);
    const tolerance = options.toleranceSeconds ?? 300;
    if (!Number.isFinite(tolerance) || tolerance < 0) {
      // NaN (an unset environment variable, say) would turn the replay check off without a word.
      throw new RangeError(`toleranceSeconds must be a finite number of seconds, 0 or more; it is ${tolerance}.`);
    }

    this.#toleranceMs = tolerance * 1000;
    this.#now = options.now ?? (() => new Date());
  }

  /** @throws HandoffWebhookError when the delivery does not verify. */
  verify(headers: WebhookHeaders, body: string | Uint8Array): HandoffWebhookEvent {
    const header = reader(headers);
    const id = required(header, "webhook-id");
    const timestampText = required(header, "webhook-timestamp");
    const signatures = required(header, "webhook-signature");

    const seconds = /^\d+$/.test(timestampText) ? Number(timestampText) : NaN;
    if (!Number.isSafeInteger(seconds) || seconds * 1000 > 8.64e15) {
      throw new HandoffWebhookError("badTimestamp", `The webhook-timestamp header '${timestampText}' is not a Unix time in seconds.`);
    }

    const signedAt = new Date(seconds * 1000);
    const now = this.#now();
    if (signedAt.getTime() < now.getTime() - this.#toleranceMs) {
      throw new HandoffWebhookError(
        "tooOld",
        `The delivery was signed at ${signedAt.toISOString()}, more than ${this.#toleranceMs / 1000} s before this machine's clock (${now.toISOString()}): a replay, or a clock off.`,
      );
    }

    if (signedAt.getTime() > now.getTime() + this.#toleranceMs) {
      throw new HandoffWebhookError(
        "tooNew",
        `The delivery claims to be signed at ${signedAt.toISOString()}, more than ${this.#toleranceMs / 1000} s after this machine's clock (${now.toISOString()}): a clock off.`,
      );
    }

    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    // The timestamp is signed as the number it reads as, as the .NET verifier does.
    const signed = Buffer.concat([Buffer.from(`${id}.${seconds}.`, "utf8"), bytes]);
    const expected = this.#keys.map((k) => createHmac("sha256", k).update(signed).digest());
    let matched = false;
    for (const part of signatures.split(" ")) {
      // Other schemes (v1a, later versions) may sit beside v1: skipped, not failed.
      if (!part.startsWith("v1,") || !base64Mac.test(part.slice(3))) {
        continue;
      }

      const given = Buffer.from(part.slice(3), "base64");
      for (const mac of expected) {
        // Compared in full and in constant time: how much of a forgery was right must not show in the timing.
        matched = timingSafeEqual(mac, given) || matched;
      }
    }

    if (!matched) {
      throw new HandoffWebhookError(
        "noMatchingSignature",
        "No v1 signature in webhook-signature matches the body under this endpoint's secret: it is not from Handoff, was altered on the way, or was signed with another secret.",
      );
    }

    return event(id, signedAt, bytes.toString("utf8"));
  }
}

function event(id: string, signedAt: Date, body: string): HandoffWebhookEvent {
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch (e) {
    throw new HandoffWebhookError("invalidBody", `The body is not JSON: ${(e as Error).message}`, { cause: e });
  }

  if (root === null || typeof root !== "object" || Array.isArray(root) || typeof (root as { type?: unknown }).type !== "string") {
    throw new HandoffWebhookError("invalidBody", 'The body is not a Handoff event: a JSON object with a string "type".');
  }

  const r = root as { type: string; timestamp?: unknown; data?: unknown };
  const happened = typeof r.timestamp === "string" ? new Date(r.timestamp) : undefined;
  return {
    id,
    type: r.type,
    timestamp: happened && !Number.isNaN(happened.getTime()) ? happened : signedAt,
    data: r.data,
  };
}

function reader(headers: WebhookHeaders): (name: string) => string | undefined {
  if (typeof headers === "function") {
    return (name) => headers(name) ?? undefined;
  }

  if (headers instanceof Headers) {
    return (name) => headers.get(name) ?? undefined;
  }

  return (name) => {
    const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
    const value = found?.[1];
    return Array.isArray(value) ? value.join(" ") : value;
  };
}

function required(header: (name: string) => string | undefined, name: string): string {
  const value = header(name);
  if (value === undefined || value.trim() === "") {
    throw new HandoffWebhookError("missingHeader", `The ${name} header is missing: this is not a Handoff webhook.`);
  }

  return value;
}

function key(secret: string): Buffer {
  if (typeof secret !== "string" || secret.trim() === "") {
    throw new TypeError("A webhook secret is empty; it is whsec_ followed by base64, as Handoff showed it.");
  }

  let encoded = secret.trim();
  encoded = encoded.startsWith(secretPrefix) ? encoded.slice(secretPrefix.length) : encoded;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new TypeError("A webhook secret is not whsec_ followed by base64, as Handoff showed it.");
  }

  return Buffer.from(encoded, "base64");
}
