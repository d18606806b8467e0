import { createHash } from "node:crypto";
import { canonicalJson } from "./canonicalJson.js";
import type { Proposal } from "./types.js";

/**
 * The digest a decision binds to: lowercase hex SHA-256 of the UTF-8 bytes of a proposal's canonical JSON, as
 * docs/api.md ("Verifying the digests") defines it. Takes a proposal or a decision's result; `null` or `undefined`
 * (a case without a proposal) hashes as `null`.
 *
 * The value is first taken through `JSON.stringify`/`JSON.parse`, so it is hashed exactly as it goes on the wire
 * (a `Date` as its ISO text, `undefined` members left out, `toJSON` honoured).
 */
export function proposalDigest(proposal: Proposal | null | undefined | unknown): string {
  const wire = proposal === undefined ? null : (JSON.parse(JSON.stringify(proposal)) as unknown);
  return digestOfJson(wire);
}

/** The digest of a value already parsed from JSON. */
export function digestOfJson(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");
}
