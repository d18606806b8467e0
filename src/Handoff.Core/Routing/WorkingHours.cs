namespace Handoff.Core.Routing;

/// <summary>
/// When a team works: its weekly openings in an IANA time zone (<c>Europe/Berlin</c>), less the dated closures
/// (public holidays), each a whole day in that zone. SLA clocks run only while the team works. A team without working
/// hours works around the clock.
/// </summary>
/// <param name="TimeZone">An IANA time zone id; the week and the closures are read in it, across DST changes.</param>
/// <param name="Week">The openings of a week; empty means the team never works (every SLA waits).</param>
/// <param name="Closures">Whole days the team does not work, whatever <paramref name="Week"/> says.</param>
public sealed record WorkingHours(string TimeZone, IReadOnlyList<WeeklyHours> Week, IReadOnlyList<DateOnly> Closures)
{
    // A record compares lists by reference; two schedules with the same openings and closures are the same schedule.
    public bool Equals(WorkingHours? other) =>
        other is not null
        && TimeZone == other.TimeZone
        && Week.SequenceEqual(other.Week)
        && Closures.SequenceEqual(other.Closures);

    public override int GetHashCode() => HashCode.Combine(TimeZone, Week.Count, Closures.Count);
}
