using System.Globalization;
using System.Text.Json;

namespace Handoff.Server.Api;

/// <summary>Reads durations as agents write them: seconds as a number, or "90s", "15m", "2h", "1d", "hh:mm:ss".</summary>
internal static class Durations
{
    public static bool TryParse(JsonElement value, out TimeSpan duration)
    {
        duration = default;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDouble(out var seconds) && seconds is > 0 and <= 365 * 86400:
                duration = TimeSpan.FromSeconds(seconds);
                return true;
            case JsonValueKind.String:
                return TryParse(value.GetString()!, out duration) && duration > TimeSpan.Zero && duration <= TimeSpan.FromDays(365);
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
            TimeSpan? parsed = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (parsed is { } p)
            {
                duration = p;
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }
}
