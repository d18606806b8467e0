/**
 * JSON in the canonical form the server hashes (RFC 8785 with null members dropped): keys sorted by UTF-16 code unit,
 * no whitespace, only the escapes JSON requires, numbers as ECMAScript writes them. Written from the spec in
 * docs/api.md, as the .NET SDK's CanonicalJson.cs is, so that a server bug cannot hide on both sides at once.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join("");
}

function write(value: unknown, to: string[]): void {
  if (value === null || value === undefined) {
    // A case without a proposal hashes the four characters "null".
    to.push("null");
    return;
  }

  switch (typeof value) {
    case "string":
      writeString(value, to);
      return;
    case "number":
      if (!Number.isFinite(value)) {
        throw new RangeError(`JSON has no such number: ${value}.`);
      }

      // Number.prototype.toString is exactly RFC 8785's number form (section 3.2.2.3), and writes -0 as "0".
      to.push(String(value));
      return;
    case "boolean":
      to.push(value ? "true" : "false");
      return;
    case "object":
      break;
    default:
      throw new TypeError(`A ${typeof value} is not JSON.`);
  }

  if (Array.isArray(value)) {
    to.push("[");
    value.forEach((item, i) => {
      if (i > 0) {
        to.push(",");
      }

      write(item, to);
    });
    to.push("]");
    return;
  }

  // Array.prototype.sort without a comparer orders strings by UTF-16 code unit, which RFC 8785 prescribes and the
  // server (ordinal comparison) does.
  const members = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k]) => k)
    .sort();
  to.push("{");
  members.forEach((key, i) => {
    if (i > 0) {
      to.push(",");
    }

    writeString(key, to);
    to.push(":");
    write((value as Record<string, unknown>)[key], to);
  });
  to.push("}");
}

function writeString(value: string, to: string[]): void {
  let text = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    switch (c) {
      case 0x22:
        text += '\\"';
        break;
      case 0x5c:
        text += "\\\\";
        break;
      case 0x08:
        text += "\\b";
        break;
      case 0x0c:
        text += "\\f";
        break;
      case 0x0a:
        text += "\\n";
        break;
      case 0x0d:
        text += "\\r";
        break;
      case 0x09:
        text += "\\t";
        break;
      default:
        // Everything else, non-ASCII included, is written as it is; the UTF-8 encoding follows when hashing.
        text += c < 0x20 ? "\\u" + c.toString(16).padStart(4, "0") : value[i];
    }
  }

  to.push(text + '"');
}
