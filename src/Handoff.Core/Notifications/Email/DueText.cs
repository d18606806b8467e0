using System.Globalization;

namespace Handoff.Core.Notifications.Email;

/// <summary>
/// The time a case has left, as people read it in a mail: "1 h 5 min left", "overdue by 12 min". Counted from the
/// event's time, not from when the mail is read, so the absolute due time goes beside it.
/// </summary>
internal static class DueText
{
    /// <summary>"42 min left", "overdue by 2 h", "due now" — or null when the case is never due.</summary>
    public static string? Left(DateTimeOffset? dueAt, DateTimeOffset at)
    {
        if (dueAt is not { } due)
        {
            return null;
        }

        var left = due - at;
        if (left >= TimeSpan.FromMinutes(1))
        {
            return $"{Span(left)} left";
        }

        return left > TimeSpan.FromMinutes(-1) ? "due now" : $"overdue by {Span(-left)}";
    }

    /// <summary>Whether the case is due now or overdue (what <see cref="Left"/> shows in red).</summary>
    public static bool Late(DateTimeOffset? dueAt, DateTimeOffset at) => dueAt is { } due && due - at < TimeSpan.FromMinutes(1);

    /// <summary>"2 Mar 2026, 10:00 UTC": unambiguous whoever reads it, wherever.</summary>
    public static string Absolute(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    // Whole units, rounded down: a mail never promises more time than there is.
    private static string Span(TimeSpan span)
    {
        if (span >= TimeSpan.FromDays(1))
        {
            return span.Hours == 0 ? $"{span.Days} d" : $"{span.Days} d {span.Hours} h";
        }

        if (span >= TimeSpan.FromHours(1))
        {
            return span.Minutes == 0 ? $"{span.Hours} h" : $"{span.Hours} h {span.Minutes} min";
        }

        return $"{span.Minutes} min";
    }
}
