using System.Globalization;
using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Server.Dashboard.Shared;

/// <summary>How the dashboard writes values for people: short, and the same on every page.</summary>
internal static class Show
{
    public static string Customer(HandoffCase c) =>
        Property(c.Content.Subject, "name") ?? Property(c.Content.Subject, "id") ?? "—";

    public static string? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    // Cut, not rounded: 0.748 shown as 0.75 beside a 0.75 floor would contradict the case's low-confidence reason. In
    // decimal, because 0.29 × 100 in double is 28.999… and would be cut to 0.28.
    public static string Confidence(double? confidence) =>
        confidence is { } c ? Math.Round((decimal)c, 2, MidpointRounding.ToZero).ToString("0.00", CultureInfo.InvariantCulture) : "none";

    /// <summary>The confidence with what it is measured against: "confidence 0.39 (floor 0.75)".</summary>
    public static string ConfidenceAndFloor(double? confidence, double floor) =>
        $"confidence {Confidence(confidence)} (floor {Confidence(floor)})";

    /// <summary>The time a case has left, as words: "29m 10s left", "expiring now", "no deadline".</summary>
    public static string Remaining(DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        if (expiresAt is not { } at)
        {
            return "no deadline";
        }

        var left = at - now;
        if (left <= TimeSpan.Zero)
        {
            return "expiring now";
        }

        return (left.TotalHours >= 24 ? $"{(int)left.TotalDays}d {left.Hours}h"
            : left.TotalMinutes >= 60 ? $"{(int)left.TotalHours}h {left.Minutes:00}m"
            : $"{(int)left.TotalMinutes}m {left.Seconds:00}s") + " left";
    }

    /// <summary>
    /// A case's SLA in words: "2h 10m left" (to its due time), or "breached 5m ago"; empty when it has none. A closed
    /// case's clock stopped at its decision.
    /// </summary>
    public static string SlaLeft(HandoffCase c, DateTimeOffset now)
    {
        if (c.Sla is not { } sla)
        {
            return "";
        }

        var at = c.Status.IsOpen() ? now : c.Decision?.DecidedAt ?? c.UpdatedAt;
        var left = sla.DueAt - at;
        return left > TimeSpan.Zero ? $"SLA {Span(left)} left" : $"SLA breached {Span(-left)} ago";
    }

    /// <summary>The SLA's state for a CSS class: ok, warning or breached (null when the case has none).</summary>
    public static string? SlaState(HandoffCase c, DateTimeOffset now) =>
        c.Sla is { } sla ? Name(Core.Routing.SlaLadder.StateAt(sla, c.Status.IsOpen() ? now : c.Decision?.DecidedAt ?? c.UpdatedAt)) : null;

    private static string Span(TimeSpan span) =>
        span.TotalHours >= 24 ? $"{(int)span.TotalDays}d {span.Hours}h"
        : span.TotalMinutes >= 60 ? $"{(int)span.TotalHours}h {span.Minutes}m"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m"
        : $"{Math.Max(0, (int)span.TotalSeconds)}s";

    public static bool Urgent(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is { } at && at - now < TimeSpan.FromMinutes(5);

    public static string Age(DateTimeOffset since, DateTimeOffset now)
    {
        var age = now - since;
        return age.TotalDays >= 1 ? $"{(int)age.TotalDays}d ago"
            : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h ago"
            : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m ago"
            : "just now";
    }

    /// <summary>An enum's name in lowercase words: "pending", "taken over", "hand back".</summary>
    public static string Name(Enum value)
    {
        var name = value.ToString();
        var words = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsAsciiLetterUpper(name[i]))
            {
                words.Append(' ');
            }

            words.Append(char.ToLowerInvariant(name[i]));
        }

        return words.ToString();
    }

    public static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A moment as short as it can be read without doubt, in UTC like every time the dashboard writes: "10:42 UTC" on
    /// the day of <paramref name="now"/>, "24 Nov 10:42 UTC" in its year, "24 Nov 2025 10:42 UTC" before.
    /// </summary>
    public static string Moment(DateTimeOffset at, DateTimeOffset now, bool seconds = false)
    {
        var utc = at.ToUniversalTime();
        var today = now.ToUniversalTime();
        var clock = seconds ? "HH:mm:ss" : "HH:mm";
        var format = utc.Date == today.Date ? clock : utc.Year == today.Year ? $"d MMM {clock}" : $"d MMM yyyy {clock}";
        return utc.ToString(format, CultureInfo.InvariantCulture) + " UTC";
    }

    public static string Json(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? "" : JsonSerializer.Serialize(element, Indented);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
