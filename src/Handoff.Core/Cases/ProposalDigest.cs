using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Handoff.Core.Cases;

/// <summary>
/// The digest a <see cref="Decision"/> binds to: lowercase hex SHA-256 of the proposal's canonical JSON in the
/// manner of JCS (RFC 8785) — object keys sorted, no whitespace, strings escaped only where JSON requires
/// (<c>"</c>, <c>\</c>, control characters), numbers as JavaScript writes them (<c>1</c>, <c>0.5</c>,
/// <c>100000000000000000000</c>, <c>1e-7</c>), null members left out; no proposal hashes <c>null</c>. So an agent
/// in any language can recompute it with a JCS library, or with <c>JSON.stringify</c> over sorted keys.
/// </summary>
public static class ProposalDigest
{
    public static string Compute(Proposal? proposal)
    {
        // A JsonElement, not a JsonNode: nodes made with the web options fold keys that differ only in case
        // ("orderId", "OrderId"), which are two arguments in JSON.
        var element = JsonSerializer.SerializeToElement(proposal, HandoffJson.Options);
        var canonical = new StringBuilder();
        Write(element, canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    private static void Write(JsonElement value, StringBuilder to)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                to.Append('{');
                var first = true;
                foreach (var member in value.EnumerateObject().Where(m => m.Value.ValueKind != JsonValueKind.Null).OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    to.Append(first ? "" : ",");
                    first = false;
                    WriteString(member.Name, to);
                    to.Append(':');
                    Write(member.Value, to);
                }

                to.Append('}');
                break;
            case JsonValueKind.Array:
                to.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    to.Append(firstItem ? "" : ",");
                    firstItem = false;
                    Write(item, to);
                }

                to.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(value.GetString()!, to);
                break;
            case JsonValueKind.Number:
                to.Append(EcmaNumber(value.GetDouble()));
                break;
            default:
                to.Append(value.GetRawText());
                break;
        }
    }

    /// <summary>A number as ECMAScript's Number::toString writes it, which is what RFC 8785 prescribes.</summary>
    internal static string EcmaNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no such number.");
        }

        if (value == 0)
        {
            return "0"; // -0 too
        }

        // "R" gives the shortest digits that read back the same; only the layout differs from ECMAScript's.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        var exponentAt = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt >= 0 ? text[..exponentAt] : text;
        var exponent = exponentAt >= 0 ? int.Parse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var integerDigits = point >= 0 ? point : mantissa.Length;
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        digits = digits[leadingZeros..].TrimEnd('0');
        var k = digits.Length;
        var n = integerDigits - leadingZeros + exponent; // the value is 0.digits × 10^n
        var layout = (k <= n && n <= 21) ? digits + new string('0', n - k)
            : (0 < n && n <= 21) ? digits[..n] + "." + digits[n..]
            : (-6 < n && n <= 0) ? "0." + new string('0', -n) + digits
            : digits[..1] + (k > 1 ? "." + digits[1..] : "") + "e" + (n - 1 >= 0 ? "+" : "-") + Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture);
        return negative ? "-" + layout : layout;
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
