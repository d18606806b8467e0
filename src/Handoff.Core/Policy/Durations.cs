using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Handoff.Core.Policy;

/// <summary>
/// Reads a policy duration (<c>sla</c>, <c>liveWait</c>, a breach step's <c>after</c>): a whole number of seconds
/// (<c>3600</c>) or a whole number with a unit (<c>90s</c>, <c>15m</c>, <c>4h</c>, <c>2d</c>), positive (or zero where
/// allowed) and at most 365 days.
/// </summary>
internal static partial class Durations
{
    // A year bounds the value so a typo (4000d) is caught and every SLA fits any timer or date arithmetic.
    private static readonly TimeSpan Max = TimeSpan.FromDays(365);

    private const string Expected = "a whole number of seconds or a text such as 90s, 15m, 4h or 2d";

    /// <summary>The duration <paramref name="node"/> states, or null after reporting why it is not one.</summary>
    public static TimeSpan? Sla(YamlNode node, ProblemLog problems) => Read(node, "sla", problems);

    /// <summary>The duration <paramref name="node"/> states for <paramref name="key"/>, or null after reporting why it is not one.</summary>
    public static TimeSpan? Read(YamlNode node, string key, ProblemLog problems, bool zeroAllowed = false)
    {
        if (node is not YamlScalarNode scalar || YamlScalars.ToLiteral(scalar) is not { } literal)
        {
            problems.Report(node, $"'{key}' must be {Expected}, got {YamlScalars.Describe(node)}");
            return null;
        }

        double seconds;
        if (literal.Kind == FieldKind.Number)
        {
            seconds = literal.Number;
            if (seconds != Math.Floor(seconds))
            {
                problems.Report(node, $"'{key}' must be {Expected}, got {YamlScalars.Describe(node)}");
                return null;
            }
        }
        else if (literal.Kind == FieldKind.String && WithUnit().Match(literal.Text) is { Success: true } match)
        {
            // Parsed as a double so a long run of digits is "too long", not an overflow.
            seconds = double.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture) * match.Groups[2].Value switch
            {
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                _ => 86400,
            };
        }
        else
        {
            problems.Report(node, $"'{key}' must be {Expected}, got {YamlScalars.Describe(node)}");
            return null;
        }

        if (seconds < 0 || (seconds == 0 && !zeroAllowed))
        {
            problems.Report(node, $"'{key}' must be {(zeroAllowed ? "zero or more" : "positive")}, got {YamlScalars.Describe(node)}");
            return null;
        }

        if (seconds > Max.TotalSeconds)
        {
            problems.Report(node, $"'{key}' must be at most 365 days, got {YamlScalars.Describe(node)}");
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    [GeneratedRegex(@"^([0-9]+)([smhd])\z", RegexOptions.CultureInvariant)]
    private static partial Regex WithUnit();
}
