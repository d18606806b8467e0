using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Handoff.Client;

/// <summary>
/// JSON in the canonical form the server hashes (RFC 8785 with null members dropped): keys sorted, no whitespace,
/// minimal string escapes, numbers as ECMAScript writes them. Written from the spec in docs/api.md rather than shared
/// with the server, so that the SDK depends on no server code and a server bug cannot hide on both sides at once.
/// </summary>
internal static class CanonicalJson
{
    public static void Write(JsonElement value, StringBuilder to)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                to.Append('{');
                var separator = "";
                // Ordinal sorts by UTF-16 code unit, which is what RFC 8785 prescribes and the server does; it differs
                // from code point order only between supplementary characters and U+E000–U+FFFF.
                foreach (var member in value.EnumerateObject()
                    .Where(m => m.Value.ValueKind != JsonValueKind.Null)
                    .OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    to.Append(separator);
                    separator = ",";
                    WriteString(member.Name, to);
                    to.Append(':');
                    Write(member.Value, to);
                }

                to.Append('}');
                break;
            case JsonValueKind.Array:
                to.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        to.Append(',');
                    }

                    first = false;
                    Write(item, to);
                }

                to.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(value.GetString()!, to);
                break;
            case JsonValueKind.Number:
                to.Append(Number(value.GetDouble()));
                break;
            case JsonValueKind.True:
                to.Append("true");
                break;
            case JsonValueKind.False:
                to.Append("false");
                break;
            default:
                // Null, and an absent value (a default JsonElement): a case without a proposal hashes "null".
                to.Append("null");
                break;
        }
    }

    /// <summary>
    /// A number as ECMAScript's Number.prototype.toString writes it (RFC 8785 section 3.2.2.3): the shortest digits
    /// that read back as the same double, laid out plainly from 1e-6 up to 1e21 and with an exponent outside that.
    /// </summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no such number.");
        }

        if (value == 0)
        {
            return "0"; // and -0
        }

        // "R" yields the shortest round-tripping digits (since .NET Core 3.0), as d.ddd or d.dddE±x.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, pointAt) = Decompose(shortest);

        // ECMAScript's names: k digits, the value is 0.digits × 10^n.
        var k = digits.Length;
        var n = pointAt;
        string text;
        if (k <= n && n <= 21)
        {
            text = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            text = "0." + new string('0', -n) + digits;
        }
        else
        {
            var exponent = n - 1;
            var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
            text = mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        }

        return value < 0 ? "-" + text : text;
    }

    /// <summary>Splits "123.45E-3" into its significant digits ("12345") and where the point goes before them (0).</summary>
    private static (string Digits, int PointAt) Decompose(string shortest)
    {
        var e = shortest.IndexOfAny(['E', 'e']);
        var exponent = e < 0 ? 0 : int.Parse(shortest.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? shortest : shortest[..e];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? mantissa : mantissa[..dot];
        var all = whole + (dot < 0 ? "" : mantissa[(dot + 1)..]);
        var significant = all.TrimStart('0');
        var pointAt = whole.Length - (all.Length - significant.Length) + exponent;
        return (significant.TrimEnd('0'), pointAt);
    }

    private static void WriteString(string value, StringBuilder to)
    {
        to.Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => to.Append("\\\""),
                '\\' => to.Append("\\\\"),
                '\b' => to.Append("\\b"),
                '\f' => to.Append("\\f"),
                '\n' => to.Append("\\n"),
                '\r' => to.Append("\\r"),
                '\t' => to.Append("\\t"),
                < ' ' => to.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => to.Append(c),
            };
        }

        to.Append('"');
    }
}
