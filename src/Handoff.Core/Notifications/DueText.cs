using System.Globalization;

namespace Handoff.Core.Notifications;

/// <summary>How much time a notice's case has left, in the words every channel shows ("42 min left", "overdue by 5 min").</summary>
public static class DueText
{
    /// <summary>
    /// The time left from the event (<see cref="CaseNotice.At"/>) to <see cref="CaseNotice.DueAt"/>, measured at the event
    /// so that every attempt at a message says the same; null when the case is not due or no longer open.
    /// </summary>
    public static string? TimeLeft(CaseNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.DueAt is not { } due || !notice.Decidable)
        {
            return null;
        }

        var left = due - notice.At;
        return left > TimeSpan.Zero ? $"{Span(left)} left" : $"overdue by {Span(-left)}";
    }

    /// <summary>A span in the largest two units that matter: "under a minute", "42 min", "2 h 5 min", "3 d 4 h".</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return "under a minute";
        }

        var c = CultureInfo.InvariantCulture;
        if (span < TimeSpan.FromHours(1))
        {
            return string.Create(c, $"{(int)span.TotalMinutes} min");
        }

        if (span < TimeSpan.FromDays(1))
        {
            return span.Minutes == 0 ? string.Create(c, $"{(int)span.TotalHours} h") : string.Create(c, $"{(int)span.TotalHours} h {span.Minutes} min");
        }

        return span.Hours == 0 ? string.Create(c, $"{(int)span.TotalDays} d") : string.Create(c, $"{(int)span.TotalDays} d {span.Hours} h");
    }
}
