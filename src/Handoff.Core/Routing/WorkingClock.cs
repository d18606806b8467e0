namespace Handoff.Core.Routing;

/// <summary>
/// Counts time in a team's <see cref="WorkingHours"/>: whether the team works at an instant, when it next does, and how
/// working time adds up between instants. SLA due times and "time left" are read off it. Immutable and safe to share
/// between threads; build one per schedule and keep it.
/// </summary>
/// <remarks>
/// <para>The week is wall-clock time in the team's zone, so a 09:00–17:00 opening is 09:00–17:00 local on both sides
/// of a DST change. On the day the clocks change, an opening lasts as long as the clock actually ran: an all-day
/// opening is 23 h on a spring-forward day and 25 h on a fall-back day.</para>
/// <para>Local times the clock skips (02:30 when it jumps from 02:00 to 03:00) are read as the moment of the jump, and
/// local times it shows twice (02:30 when it falls back from 03:00 to 02:00) as their first occurrence. Both keep the
/// mapping from local to absolute time in order, so openings never overlap or turn inside out: an opening wholly inside
/// a skipped hour is empty that day, and 02:00–03:00 on a fall-back day lasts two hours.</para>
/// <para>All answers are in UTC (offset zero); arguments may carry any offset.</para>
/// </remarks>
public sealed partial class WorkingClock
{
    private const long TicksPerDay = TimeSpan.TicksPerDay;

    private readonly TimeZoneInfo? _zone;
    private readonly (TimeSpan Opens, TimeSpan Closes)[][] _week;
    private readonly HashSet<DateOnly> _closures;
    private readonly bool _neverOpen;

    private WorkingClock(WorkingHours? hours, TimeZoneInfo? zone)
    {
        Hours = hours;
        _zone = zone;
        _week = new (TimeSpan, TimeSpan)[7][];
        for (var day = 0; day < 7; day++)
        {
            _week[day] = hours is null
                ? []
                : [.. hours.Week.Where(o => (int)o.Day == day).OrderBy(o => o.Opens).Select(o => (o.Opens.ToTimeSpan(), WorkingHoursValidator.End(o)))];
        }

        _closures = hours is null ? [] : [.. hours.Closures];
        _neverOpen = hours is { Week.Count: 0 };
    }

    /// <summary>A team without working hours: always open, so working time is plain elapsed time.</summary>
    public static WorkingClock AroundTheClock { get; } = new(null, null);

    /// <summary>The schedule this clock counts in; null for <see cref="AroundTheClock"/>.</summary>
    public WorkingHours? Hours { get; }

    /// <summary>
    /// The clock for <paramref name="hours"/>, or <see cref="AroundTheClock"/> when it is null (a team without working
    /// hours works around the clock).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="hours"/> breaks a rule of <see cref="WorkingHoursValidator"/>; the message lists them.</exception>
    public static WorkingClock For(WorkingHours? hours)
    {
        if (hours is null)
        {
            return AroundTheClock;
        }

        var problems = WorkingHoursValidator.Validate(hours);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid working hours: {string.Join("; ", problems)}", nameof(hours));
        }

        WorkingHoursValidator.TryFindZone(hours.TimeZone, out var zone);
        return new WorkingClock(hours, zone);
    }

    /// <summary>Whether the team works at <paramref name="at"/>. An opening includes its start and excludes its end.</summary>
    public bool IsOpen(DateTimeOffset at) => NextOpening(at) is { } next && next.UtcTicks == at.UtcTicks;

    /// <summary>
    /// <paramref name="at"/> itself when the team works then, otherwise the start of its next opening; null when it
    /// never works again (an empty week).
    /// </summary>
    public DateTimeOffset? NextOpening(DateTimeOffset at)
    {
        if (_zone is null)
        {
            return Utc(at.UtcTicks);
        }

        var cursor = at.UtcTicks;
        var walk = new DayWalk(this, cursor);
        while (walk.Next(out var start, out var end))
        {
            if (end > cursor)
            {
                return Utc(Math.Max(start, cursor));
            }
        }

        return null;
    }

    /// <summary>
    /// The instant at which <paramref name="duration"/> of working time has passed since <paramref name="start"/>: an
    /// SLA's due time. A zero duration is due at <paramref name="start"/>; otherwise the answer always falls inside an
    /// opening (or at its end), never in closed time. Null when the team never works enough for it (an empty week).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public DateTimeOffset? DueAt(DateTimeOffset start, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var cursor = start.UtcTicks;
        if (_zone is null || duration == TimeSpan.Zero)
        {
            return Utc(cursor + duration.Ticks);
        }

        var remaining = duration.Ticks;
        var walk = new DayWalk(this, cursor);
        while (walk.Next(out var opens, out var closes))
        {
            if (closes <= cursor)
            {
                continue;
            }

            var from = Math.Max(opens, cursor);
            if (remaining <= closes - from)
            {
                return Utc(from + remaining);
            }

            remaining -= closes - from;
        }

        return null;
    }

    /// <summary>
    /// The working time between <paramref name="from"/> and <paramref name="to"/>: how much of an SLA has been used, or
    /// is left. Zero when <paramref name="to"/> is not after <paramref name="from"/>. For any start and duration d
    /// with a due time, <c>WorkingTimeBetween(start, DueAt(start, d)) == d</c>.
    /// </summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        long start = from.UtcTicks, end = to.UtcTicks;
        if (end <= start)
        {
            return TimeSpan.Zero;
        }

        if (_zone is null)
        {
            return TimeSpan.FromTicks(end - start);
        }

        long total = 0;
        var walk = new DayWalk(this, start);
        while (walk.Next(out var opens, out var closes) && opens < end)
        {
            var overlap = Math.Min(closes, end) - Math.Max(opens, start);
            if (overlap > 0)
            {
                total += overlap;
            }
        }

        return TimeSpan.FromTicks(total);
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);
}
