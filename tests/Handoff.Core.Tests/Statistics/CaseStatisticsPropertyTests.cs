using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Statistics;

namespace Handoff.Core.Tests.Statistics;

/// <summary>Invariants of the overview over random cases spread around a random period, and its roll-ups.</summary>
public sealed class CaseStatisticsPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 30, 0, TimeSpan.Zero);

    private static readonly Gen<CaseRecord> GenRecord =
        Gen.Select(
            Gen.Int[-40 * 24 * 60, 2 * 24 * 60],
            Gen.Enum<Outcome>(),
            Gen.Char['a', 'c'].Select(c => c.ToString()).Array[0, 3],
            Gen.Bool,
            Gen.Int[-1, 4],
            Gen.Int[0, 3 * 24 * 60],
            (minutes, outcome, rules, timedOut, verdict, decisionMinutes) =>
            {
                var createdAt = Now.AddMinutes(minutes);
                var decided = verdict >= 0;
                return new CaseRecord(
                    createdAt, outcome, decided ? CaseStatus.Approved : CaseStatus.Pending, rules,
                    decided ? (Verdict)verdict : null, timedOut, decided && !timedOut,
                    decided ? createdAt.AddMinutes(decisionMinutes) : null);
            });

    // Half the records get an SLA, due up to two days after creation, warning somewhere before that.
    private static readonly Gen<CaseRecord> GenRecordWithSla =
        Gen.Select(GenRecord, Gen.Bool, Gen.Int[0, 2 * 24 * 60], Gen.Double[0.01, 1], (record, hasSla, dueMinutes, warnShare) =>
            hasSla
                ? record with
                {
                    SlaDueAt = record.CreatedAt.AddMinutes(dueMinutes),
                    SlaWarnAt = record.CreatedAt.AddMinutes(dueMinutes * warnShare),
                }
                : record);

    private static readonly Gen<(CaseRecord[] Records, int Days)> GenScenario = Gen.Select(GenRecord.Array[0, 60], Gen.Int[1, 45]);

    [Fact]
    public void Compute_ForRandomCases_DaysAreConsecutiveAndSumToTheTotals()
    {
        GenScenario.Sample(scenario =>
        {
            var (records, days) = scenario;
            var overview = CaseStatistics.Compute(records, Now, days);

            Assert.Equal(days, overview.Days.Count);
            Assert.Equal(DateOnly.FromDateTime(Now.UtcDateTime), overview.Days[^1].Date);
            Assert.All(overview.Days.Zip(overview.Days.Skip(1)), pair => Assert.Equal(pair.First.Date.AddDays(1), pair.Second.Date));
            Assert.Equal(overview.Totals, overview.Days.Aggregate(CaseCounts.None, (sum, day) => sum.Add(day.Counts)));
            var first = overview.Days[0].Date;
            var inPeriod = records.Count(r => DateOnly.FromDateTime(r.CreatedAt.UtcDateTime) is var d && d >= first && d <= overview.Days[^1].Date);
            Assert.Equal(inPeriod, overview.Totals.Submitted);
        }, iter: 300);
    }

    [Fact]
    public void Compute_ForRandomCases_OutcomesSplitTheSubmittedCasesAndRatesStayInRange()
    {
        GenScenario.Sample(scenario =>
        {
            var overview = CaseStatistics.Compute(scenario.Records, Now, scenario.Days);

            Assert.All(overview.Days.Select(d => d.Counts).Append(overview.Totals), c =>
            {
                Assert.Equal(c.Submitted, c.Automated + c.Escalated + c.Blocked);
                Assert.InRange(c.Expired, 0, c.Submitted);
            });
            Assert.InRange(overview.AutomationRate, 0, 1);
            Assert.All(overview.EscalationsByRule.Values, n => Assert.InRange(n, 1, overview.Totals.Escalated));
        }, iter: 300);
    }

    [Fact]
    public void Compute_ForRandomCases_P50IsAtMostP90AndBothAreMeasuredTimes()
    {
        GenScenario.Sample(scenario =>
        {
            var overview = CaseStatistics.Compute(scenario.Records, Now, scenario.Days);

            var decisions = overview.DecisionsByVerdict.Values.Sum();
            Assert.Equal(decisions == 0, overview.TimeToDecisionP50 is null);
            Assert.Equal(decisions == 0, overview.TimeToDecisionP90 is null);
            if (decisions > 0)
            {
                Assert.True(overview.TimeToDecisionP50 <= overview.TimeToDecisionP90);
                // Each time as the overview shows it, cut down to its second, minute or hour.
                var times = scenario.Records.Where(r => r.DecidedByPerson).Select(r => DecisionTimes.Step(r.DecidedAt!.Value - r.CreatedAt)).ToHashSet();
                Assert.Contains(overview.TimeToDecisionP50!.Value, times);
                Assert.Contains(overview.TimeToDecisionP90!.Value, times);
            }
        }, iter: 300);
    }

    [Fact]
    public void Compute_ForRandomCases_EachDecidedCaseWithAnSlaIsMetOrMissedAndEachOpenOneCountsAtMostOnce()
    {
        Gen.Select(GenRecordWithSla.Array[0, 60], Gen.Int[1, 45]).Sample(scenario =>
        {
            var (records, days) = scenario;
            var overview = CaseStatistics.Compute(records, Now, days);

            var first = overview.Days[0].Date;
            var inPeriod = records.Where(r => r.SlaDueAt is not null && DateOnly.FromDateTime(r.CreatedAt.UtcDateTime) is var d && d >= first && d <= overview.Days[^1].Date).ToList();
            var sla = overview.Sla;
            Assert.Equal(inPeriod.Count(r => !r.Status.IsOpen() && r.DecidedAt is not null), sla.Met + sla.Missed);
            Assert.Equal(inPeriod.Count(r => r.Status.IsOpen() && Now >= r.SlaDueAt), sla.Breached);
            Assert.InRange(sla.AtRisk, 0, inPeriod.Count(r => r.Status.IsOpen()) - sla.Breached);
            Assert.Equal(sla.Met + sla.Missed == 0, sla.Rate is null);
            Assert.InRange(sla.Rate ?? 0, 0, 1);
        }, iter: 300);
    }

    [Fact]
    public void Compute_ForRandomCases_RollingUpAnyClosedCasesByDayChangesNoNumber()
    {
        // The store rolls closed cases up by creation day as they close, in any order and any number of rows per day.
        Gen.Select(GenRecordWithSla.Array[0, 60], Gen.Int[1, 45], Gen.Int[0, int.MaxValue]).Sample(scenario =>
        {
            var (records, days, seed) = scenario;
            var random = new Random(seed);
            var rolledUp = new List<DayTotals>();
            var rest = new List<CaseRecord>();
            foreach (var record in records)
            {
                if (!record.Status.IsOpen() && random.Next(3) > 0)
                {
                    var day = new DayTotals(DateOnly.FromDateTime(record.CreatedAt.UtcDateTime));
                    day.Add(record);
                    rolledUp.Add(day);
                }
                else
                {
                    rest.Add(record);
                }
            }

            var expected = CaseStatistics.Compute(records, Now, days);
            var actual = CaseStatistics.Compute(rolledUp, rest, Now, days);

            Assert.Equal(expected.Days, actual.Days);
            Assert.Equal(expected.Totals, actual.Totals);
            Assert.Equal(expected.AutomationRate, actual.AutomationRate);
            Assert.Equal(expected.EscalationsByRule.OrderBy(p => p.Key), actual.EscalationsByRule.OrderBy(p => p.Key));
            Assert.Equal(expected.DecisionsByVerdict.OrderBy(p => p.Key), actual.DecisionsByVerdict.OrderBy(p => p.Key));
            Assert.Equal(expected.TimeToDecisionP50, actual.TimeToDecisionP50);
            Assert.Equal(expected.TimeToDecisionP90, actual.TimeToDecisionP90);
            Assert.Equal(expected.Sla, actual.Sla);
        }, iter: 300);
    }

    [Fact]
    public void DecisionTimes_PercentileIsTheStepOfTheExactNearestRankTime()
    {
        Gen.Select(Gen.Long[0, 3 * 86_400_000L].Array[1, 50], Gen.Int[1, 100]).Sample(scenario =>
        {
            var (milliseconds, percentile) = scenario;
            var times = milliseconds.Select(ms => TimeSpan.FromMilliseconds(ms)).Order().ToArray();
            var counted = new DecisionTimes();
            foreach (var time in times)
            {
                counted.Add(time);
            }

            var rank = (int)(((long)percentile * times.Length + 99) / 100);
            Assert.Equal(DecisionTimes.Step(times[rank - 1]), counted.NearestRank(percentile));
        }, iter: 300);
    }
}
