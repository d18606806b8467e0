using System.Globalization;
using System.Text.Json;

namespace Handoff.Server.Api;

/// <summary>Reads durations as agents write them: seconds as a number, or "90s", "15m", "2h", "1d", "hh:mm:ss".</summary>
internal static class Durations
{
    private const double MaxSeconds = 365 * 86400;

    // A deadline shorter than a second would expire the case before anyone could see it.
    private const double MinSeconds = 1;

    public static bool TryParse(JsonElement value, out TimeSpan duration)
    {
        duration = default;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDouble(out var seconds) && seconds is >= MinSeconds and <= MaxSeconds:
                duration = TimeSpan.FromSeconds(seconds);
                return true;
            case JsonValueKind.String:
                return TryParse(value.GetString()!, out duration) && duration >= TimeSpan.FromSeconds(MinSeconds) && duration <= TimeSpan.FromSeconds(MaxSeconds);
            default:
                return false;
        }
    }

    private static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            double? unitSeconds = char.ToLowerInvariant(text[^1]) switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86400,
                _ => null,
            };
            if (unitSeconds is { } unit)
            {
                // Check the range in seconds before TimeSpan sees it: TimeSpan.From* throws on NaN and overflow.
                var seconds = amount * unit;
                if (!double.IsFinite(seconds) || seconds <= 0 || seconds > MaxSeconds)
                {
                    return false;
                }

                duration = TimeSpan.FromSeconds(seconds);
                return true;
            }
        }

        // "90" alone means seconds, as the number 90 does; TimeSpan would read it as 90 days.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            if (!double.IsFinite(plain) || plain <= 0 || plain > MaxSeconds)
            {
                return false;
            }

            duration = TimeSpan.FromSeconds(plain);
            return true;
        }

        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }
}
