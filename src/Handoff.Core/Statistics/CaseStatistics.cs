using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Statistics;

/// <summary>The overview's numbers, computed from <see cref="CaseRecord"/>s. Pure: no clock, no I/O.</summary>
public static class CaseStatistics
{
    /// <summary>
    /// The numbers for the <paramref name="days"/> UTC days that end with the day of <paramref name="now"/>
    /// (inclusive), from every case's <see cref="CaseRecord"/>. A case belongs to the UTC day of its
    /// <see cref="CaseRecord.CreatedAt"/>; cases created before the first day or after the day of <paramref name="now"/>
    /// are left out, so callers may pass more than the period.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is less than 1, or reaches before <see cref="DateOnly.MinValue"/>.</exception>
    public static Overview Compute(IEnumerable<CaseRecord> facts, DateTimeOffset now, int days) => Compute([], facts, now, days);

    /// <summary>
    /// The numbers for the <paramref name="days"/> UTC days that end with the day of <paramref name="now"/>
    /// (inclusive), from the days' roll-ups of closed cases (<paramref name="closedDays"/>) and the records of the
    /// cases not rolled up (<paramref name="facts"/>: the open ones, and any closed one not yet in a roll-up). Each case
    /// must be in one or the other, not both. A case belongs to the UTC day of its <see cref="CaseRecord.CreatedAt"/>;
    /// days and cases outside the period are left out, so callers may pass more than the period.
    /// </summary>
    /// <remarks>
    /// Times to decision are <see cref="CaseRecord.DecidedAt"/> − <see cref="CaseRecord.CreatedAt"/> of the cases a
    /// person decided. Percentiles use the nearest-rank method: of the n times sorted ascending, the p-th percentile is
    /// the one at rank ⌈p/100 × n⌉ (1-based), cut down to the step the overview shows (<see cref="DecisionTimes.Step"/>:
    /// the second under an hour, the minute under a day, the hour beyond) — with one decision, p50 and p90 are both
    /// that decision's time. An open case's SLA is at risk from its warning time and breached from its due time, at
    /// <paramref name="now"/>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is less than 1, or reaches before <see cref="DateOnly.MinValue"/>.</exception>
    public static Overview Compute(IEnumerable<DayTotals> closedDays, IEnumerable<CaseRecord> facts, DateTimeOffset now, int days)
    {
        ArgumentNullException.ThrowIfNull(closedDays);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var last = DateOnly.FromDateTime(now.UtcDateTime);
        var first = last.AddDays(-(days - 1));

        var perDay = new DayTotals[days];
        for (var i = 0; i < days; i++)
        {
            perDay[i] = new DayTotals(first.AddDays(i));
        }

        foreach (var rolledUp in closedDays)
        {
            ArgumentNullException.ThrowIfNull(rolledUp, nameof(closedDays));
            if (rolledUp.Date >= first && rolledUp.Date <= last)
            {
                perDay[rolledUp.Date.DayNumber - first.DayNumber].Add(rolledUp);
            }
        }

        var sla = SlaAttainment.None;
        foreach (var record in facts)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(facts));
            var day = DateOnly.FromDateTime(record.CreatedAt.UtcDateTime);
            if (day < first || day > last)
            {
                continue;
            }

            perDay[day.DayNumber - first.DayNumber].Add(record);
            sla = CountOpenSla(sla, record, now);
        }

        var period = new DayTotals(first);
        foreach (var day in perDay)
        {
            period.Add(day);
        }

        var totals = period.Counts;
        return new Overview(
            [.. perDay.Select(static d => new DayCounts(d.Date, d.Counts))],
            totals,
            totals.Submitted == 0 ? 0 : (double)totals.Automated / totals.Submitted,
            period.EscalationsByRule,
            period.DecisionsByVerdict,
            period.TimesToDecision.NearestRank(50),
            period.TimesToDecision.NearestRank(90))
        {
            Sla = sla with { Met = period.SlaMet, Missed = period.SlaMissed },
        };
    }

    // Breached from the due instant on, as the SLA worker and the inbox have it.
    private static SlaAttainment CountOpenSla(SlaAttainment sla, CaseRecord record, DateTimeOffset now) =>
        record is not { SlaDueAt: { } due } || !record.Status.IsOpen() ? sla
            : now >= due ? sla with { Breached = sla.Breached + 1 }
            : record.SlaWarnAt is { } warn && now >= warn ? sla with { AtRisk = sla.AtRisk + 1 }
            : sla;

    /// <summary>The outcomes that put a case in front of a person: review and escalate.</summary>
    internal static bool NeededAPerson(CaseRecord record) => record.Outcome is Outcome.Review or Outcome.Escalate;
}
