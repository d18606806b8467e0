using Handoff.Core.Routing;

namespace Handoff.Core.Notifications;

/// <summary>
/// What one person wants to be told and when: e-mail on or off, quiet hours (e-mails wait until they end), and a
/// daily digest of what waits for them, all read in their time zone.
/// </summary>
public sealed record NotificationPreferences
{
    public static readonly NotificationPreferences Default = new();

    /// <summary>Whether notification rules may e-mail them. <value>The default value is true.</value></summary>
    public bool Email { get; init; } = true;

    /// <summary>An IANA time zone id for the quiet hours and the digest; null reads them in UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Daily hours in which no e-mail goes out (they wait until the end); null for none.</summary>
    public QuietHours? QuietHours { get; init; }

    /// <summary>Whether they get a daily e-mail of the cases waiting for them. <value>The default value is false.</value></summary>
    public bool Digest { get; init; }

    /// <summary>When in the day the digest goes out, local time. <value>The default value is 08:00.</value></summary>
    public TimeOnly DigestAt { get; init; } = new(8, 0);

    /// <summary>
    /// When an e-mail that is ready at <paramref name="at"/> may go out: <paramref name="at"/> itself, or the end of
    /// the quiet hours it falls in (across DST changes, as a team's working hours are read).
    /// </summary>
    public DateTimeOffset SendableAt(DateTimeOffset at)
    {
        if (QuietHours is not { } quiet || quiet.From == quiet.To)
        {
            return at;
        }

        // The hours when mail may go are the quiet hours' complement: a working clock opened outside them.
        var open = new List<WeeklyHours>();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            if (quiet.From < quiet.To)
            {
                // 12:00–13:00 quiet: 00:00–12:00 and 13:00–24:00.
                if (quiet.From > TimeOnly.MinValue)
                {
                    open.Add(new WeeklyHours(day, TimeOnly.MinValue, quiet.From));
                }

                open.Add(new WeeklyHours(day, quiet.To, TimeOnly.MinValue));
            }
            else
            {
                // 20:00–08:00 quiet: 08:00–20:00.
                open.Add(new WeeklyHours(day, quiet.To, quiet.From));
            }
        }

        var clock = WorkingClock.For(new WorkingHours(TimeZone ?? "UTC", open, []));
        return clock.NextOpening(at) ?? at;
    }

    /// <summary>The person's local date at <paramref name="at"/>.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(Local(at).DateTime);

    /// <summary>Whether today's digest (in their zone) is due at <paramref name="at"/>: on, and past <see cref="DigestAt"/> local time.</summary>
    public bool DigestDue(DateTimeOffset at) => Digest && TimeOnly.FromTimeSpan(Local(at).TimeOfDay) >= DigestAt;

    private DateTimeOffset Local(DateTimeOffset at) =>
        TimeZone is null ? at.ToUniversalTime() : TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(TimeZone));
}

/// <summary>Daily quiet hours, local time: from <see cref="From"/> until <see cref="To"/> (over midnight when To is earlier).</summary>
public sealed record QuietHours(TimeOnly From, TimeOnly To);
