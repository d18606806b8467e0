using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Handoff.Core.Cases;

/// <summary>
/// The digest a <see cref="Decision"/> binds to: lowercase hex SHA-256 of the proposal's canonical JSON — object
/// keys sorted by code point, no whitespace, strings escaped only where JSON requires (<c>"</c>, <c>\</c>, control
/// characters), numbers in their shortest round-trip form, null members left out; no proposal hashes <c>null</c>.
/// That is what <c>json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False)</c> in Python or a
/// JCS (RFC 8785) library writes for ordinary values, so an agent in any language can recompute it.
/// </summary>
public static class ProposalDigest
{
    public static string Compute(Proposal? proposal)
    {
        var node = JsonSerializer.SerializeToNode(proposal, HandoffJson.Options);
        var canonical = new StringBuilder();
        Write(node, canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    private static void Write(JsonNode? node, StringBuilder to)
    {
        switch (node)
        {
            case null:
                to.Append("null");
                break;
            case JsonObject obj:
                to.Append('{');
                var first = true;
                foreach (var (key, value) in obj.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    to.Append(first ? "" : ",");
                    first = false;
                    WriteString(key, to);
                    to.Append(':');
                    Write(value, to);
                }

                to.Append('}');
                break;
            case JsonArray array:
                to.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    to.Append(i == 0 ? "" : ",");
                    Write(array[i], to);
                }

                to.Append(']');
                break;
            default:
                var element = node.GetValue<JsonElement>();
                switch (element.ValueKind)
                {
                    case JsonValueKind.String:
                        WriteString(element.GetString()!, to);
                        break;
                    case JsonValueKind.Number:
                        // Integers stay integers; other numbers take the shortest form that reads back the same.
                        to.Append(element.TryGetInt64(out var whole)
                            ? whole.ToString(CultureInfo.InvariantCulture)
                            : element.GetDouble().ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal));
                        break;
                    default:
                        to.Append(element.GetRawText());
                        break;
                }

                break;
        }
    }

    private static void WriteString(string value, StringBuilder to)
    {
        to.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': to.Append("\\\""); break;
                case '\\': to.Append("\\\\"); break;
                case '\b': to.Append("\\b"); break;
                case '\f': to.Append("\\f"); break;
                case '\n': to.Append("\\n"); break;
                case '\r': to.Append("\\r"); break;
                case '\t': to.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        to.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        to.Append(c);
                    }

                    break;
            }
        }

        to.Append('"');
    }
}
