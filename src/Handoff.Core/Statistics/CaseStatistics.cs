using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Statistics;

/// <summary>The overview's numbers, computed from <see cref="CaseRecord"/>s. Pure: no clock, no I/O.</summary>
public static class CaseStatistics
{
    /// <summary>
    /// The numbers for the <paramref name="days"/> UTC days that end with the day of <paramref name="now"/>
    /// (inclusive). A case belongs to the UTC day of its <see cref="CaseRecord.CreatedAt"/>; cases created before the
    /// first day or after the day of <paramref name="now"/> are left out, so callers may pass more than the period.
    /// </summary>
    /// <remarks>
    /// Times to decision are <see cref="CaseRecord.DecidedAt"/> − <see cref="CaseRecord.CreatedAt"/> of the cases a
    /// person decided. Percentiles use the nearest-rank method: of the n times sorted ascending, the p-th percentile is
    /// the one at rank ⌈p/100 × n⌉ (1-based), always one of the measured times — with one decision, p50 and p90 are
    /// both that decision's time.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is less than 1, or reaches before <see cref="DateOnly.MinValue"/>.</exception>
    public static Overview Compute(IEnumerable<CaseRecord> facts, DateTimeOffset now, int days)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var last = DateOnly.FromDateTime(now.UtcDateTime);
        var first = last.AddDays(-(days - 1));

        var perDay = new CaseCounts[days];
        Array.Fill(perDay, CaseCounts.None);
        var byRule = new Dictionary<string, int>(StringComparer.Ordinal);
        var byVerdict = new Dictionary<Verdict, int>();
        var decisionTimes = new List<TimeSpan>();
        var sla = SlaAttainment.None;
        foreach (var record in facts)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(facts));
            var day = DateOnly.FromDateTime(record.CreatedAt.UtcDateTime);
            if (day < first || day > last)
            {
                continue;
            }

            var index = day.DayNumber - first.DayNumber;
            perDay[index] = perDay[index].Add(CaseCounts.Of(record));
            if (NeededAPerson(record))
            {
                // A rule named twice among one case's reasons still made that case need a person only once.
                foreach (var rule in record.Rules.Distinct(StringComparer.Ordinal))
                {
                    byRule[rule] = byRule.GetValueOrDefault(rule) + 1;
                }
            }

            sla = CountSla(sla, record, now);
            if (record is { DecidedByPerson: true, Verdict: { } verdict })
            {
                byVerdict[verdict] = byVerdict.GetValueOrDefault(verdict) + 1;
                if (record.DecidedAt is { } decidedAt)
                {
                    decisionTimes.Add(decidedAt - record.CreatedAt);
                }
            }
        }

        var totals = perDay.Aggregate(CaseCounts.None, static (sum, counts) => sum.Add(counts));
        decisionTimes.Sort();
        return new Overview(
            [.. perDay.Select((counts, i) => new DayCounts(first.AddDays(i), counts))],
            totals,
            totals.Submitted == 0 ? 0 : (double)totals.Automated / totals.Submitted,
            byRule,
            byVerdict,
            NearestRank(decisionTimes, 50),
            NearestRank(decisionTimes, 90)) { Sla = sla };
    }

    // Breached from the due instant on, as the SLA worker and the inbox have it: a decision at the due time missed it.
    private static SlaAttainment CountSla(SlaAttainment sla, CaseRecord record, DateTimeOffset now)
    {
        if (record.SlaDueAt is not { } due)
        {
            return sla;
        }

        if (record.Status.IsOpen())
        {
            return now >= due ? sla with { Breached = sla.Breached + 1 }
                : record.SlaWarnAt is { } warn && now >= warn ? sla with { AtRisk = sla.AtRisk + 1 }
                : sla;
        }

        return record.DecidedAt is not { } decided ? sla
            : decided < due ? sla with { Met = sla.Met + 1 }
            : sla with { Missed = sla.Missed + 1 };
    }

    /// <summary>The outcomes that put a case in front of a person: review and escalate.</summary>
    internal static bool NeededAPerson(CaseRecord record) => record.Outcome is Outcome.Review or Outcome.Escalate;

    /// <summary>The nearest-rank <paramref name="percentile"/> of <paramref name="sorted"/> (ascending), or null when it is empty.</summary>
    internal static TimeSpan? NearestRank(IReadOnlyList<TimeSpan> sorted, int percentile)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        // ⌈p/100 × n⌉ in integers, so no rounding error can move a rank.
        var rank = (int)(((long)percentile * sorted.Count + 99) / 100);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
