using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Statistics;

namespace Handoff.Core.Tests.Statistics;

public sealed class CaseStatisticsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_WithNoCases_HasEveryDayOfThePeriodEmptyAndNoRates()
    {
        var overview = CaseStatistics.Compute([], Now, 7);

        Assert.Equal(
            Enumerable.Range(4, 7).Select(d => new DayCounts(new DateOnly(2026, 3, d), CaseCounts.None)),
            overview.Days);
        Assert.Equal(CaseCounts.None, overview.Totals);
        Assert.Equal(0, overview.AutomationRate);
        Assert.Empty(overview.EscalationsByRule);
        Assert.Empty(overview.DecisionsByVerdict);
        Assert.Null(overview.TimeToDecisionP50);
        Assert.Null(overview.TimeToDecisionP90);
    }

    [Fact]
    public void Compute_CountsEachCaseOnItsUtcDayByOutcome()
    {
        var overview = CaseStatistics.Compute(
            [
                Record(Now, Outcome.Auto),
                Record(Now.AddHours(-15), Outcome.Review, timedOut: true),
                // 23:30 on the 9th in UTC, although it is already the 10th at +02:00.
                Record(new DateTimeOffset(2026, 3, 10, 1, 30, 0, TimeSpan.FromHours(2)), Outcome.Escalate),
                Record(Now.AddDays(-1), Outcome.Block),
                Record(Now.AddDays(-1), Outcome.Auto),
            ],
            Now,
            2);

        Assert.Equal(
            [
                new DayCounts(new DateOnly(2026, 3, 9), new CaseCounts(Submitted: 3, Automated: 1, Escalated: 1, Blocked: 1, Expired: 0)),
                new DayCounts(new DateOnly(2026, 3, 10), new CaseCounts(Submitted: 2, Automated: 1, Escalated: 1, Blocked: 0, Expired: 1)),
            ],
            overview.Days);
        Assert.Equal(new CaseCounts(5, 2, 2, 1, 1), overview.Totals);
        Assert.Equal(0.4, overview.AutomationRate, 10);
    }

    [Fact]
    public void Compute_CasesOutsideThePeriod_AreLeftOut()
    {
        var overview = CaseStatistics.Compute(
            [
                Record(new DateTimeOffset(2026, 3, 7, 23, 59, 59, TimeSpan.Zero), Outcome.Review, rules: ["early"]),
                Record(new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.Zero), Outcome.Review, rules: ["first-day"]),
                Record(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), Outcome.Review, rules: ["tomorrow"]),
            ],
            Now,
            3);

        Assert.Equal(1, overview.Totals.Submitted);
        Assert.Equal(new DateOnly(2026, 3, 8), overview.Days[0].Date);
        Assert.Equal(new Dictionary<string, int> { ["first-day"] = 1 }, overview.EscalationsByRule);
    }

    [Fact]
    public void Compute_EscalationsByRule_CountOnlyCasesThatNeededAPersonOncePerCase()
    {
        var overview = CaseStatistics.Compute(
            [
                Record(Now, Outcome.Review, rules: ["big-refund", "low-confidence"]),
                Record(Now, Outcome.Escalate, rules: ["big-refund", "big-refund"]),
                Record(Now, Outcome.Auto, rules: ["vip"]),
                Record(Now, Outcome.Block, rules: ["fraud"]),
            ],
            Now,
            1);

        Assert.Equal(new Dictionary<string, int> { ["big-refund"] = 2, ["low-confidence"] = 1 }, overview.EscalationsByRule);
    }

    [Fact]
    public void Compute_DecisionsAndTimes_CountOnlyPeoplesDecisions()
    {
        var overview = CaseStatistics.Compute(
            [
                Decided(Now.AddHours(-3), Verdict.Approve, TimeSpan.FromMinutes(10)),
                Decided(Now.AddHours(-3), Verdict.Reject, TimeSpan.FromMinutes(30)),
                Decided(Now.AddHours(-3), Verdict.Approve, TimeSpan.FromMinutes(20)),
                // The policy's own decision on an auto case, and a timeout's.
                Record(Now, Outcome.Auto) with { Verdict = Verdict.Approve, DecidedAt = Now },
                Record(Now.AddHours(-2), Outcome.Review, timedOut: true) with { Verdict = Verdict.Reject, DecidedAt = Now },
            ],
            Now,
            1);

        Assert.Equal(new Dictionary<Verdict, int> { [Verdict.Approve] = 2, [Verdict.Reject] = 1 }, overview.DecisionsByVerdict);
        Assert.Equal(TimeSpan.FromMinutes(20), overview.TimeToDecisionP50);
        Assert.Equal(TimeSpan.FromMinutes(30), overview.TimeToDecisionP90);
    }

    [Theory]
    [InlineData(new[] { 7 }, 50, 7)]
    [InlineData(new[] { 7 }, 90, 7)]
    [InlineData(new[] { 1, 2, 3, 4 }, 50, 2)]
    [InlineData(new[] { 1, 2, 3, 4 }, 90, 4)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 90, 9)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, 90, 10)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, 50, 6)]
    public void NearestRank_IsTheValueAtTheCeilingRank(int[] minutes, int percentile, int expected)
    {
        var sorted = minutes.Select(m => TimeSpan.FromMinutes(m)).ToArray();

        Assert.Equal(TimeSpan.FromMinutes(expected), CaseStatistics.NearestRank(sorted, percentile));
    }

    [Fact]
    public void Compute_DaysBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CaseStatistics.Compute([], Now, 0));
    }

    internal static CaseRecord Record(DateTimeOffset createdAt, Outcome outcome, bool timedOut = false, IReadOnlyList<string>? rules = null) =>
        new(createdAt, outcome, outcome switch
        {
            Outcome.Auto => CaseStatus.Approved,
            Outcome.Block => CaseStatus.Blocked,
            _ => CaseStatus.Pending,
        }, rules ?? [], null, timedOut, false, null);

    private static CaseRecord Decided(DateTimeOffset createdAt, Verdict verdict, TimeSpan after) =>
        Record(createdAt, Outcome.Review) with
        {
            Status = verdict == Verdict.Reject ? CaseStatus.Rejected : CaseStatus.Approved,
            Verdict = verdict,
            DecidedByPerson = true,
            DecidedAt = createdAt + after,
        };
}
