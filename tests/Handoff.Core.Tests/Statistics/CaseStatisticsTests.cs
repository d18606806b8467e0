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

    [Fact]
    public void Compute_CasesWithoutAnSla_CountNoSla()
    {
        var overview = CaseStatistics.Compute(
            [Record(Now.AddHours(-2), Outcome.Review), Decided(Now.AddHours(-3), Verdict.Approve, TimeSpan.FromMinutes(10))],
            Now,
            1);

        Assert.Equal(SlaAttainment.None, overview.Sla);
        Assert.Null(overview.Sla.Rate);
    }

    [Fact]
    public void Compute_DecidedCasesWithAnSla_AreMetBeforeTheirDueTimeAndMissedFromIt()
    {
        var created = Now.AddHours(-5);
        var overview = CaseStatistics.Compute(
            [
                WithSla(Decided(created, Verdict.Approve, TimeSpan.FromMinutes(30)), created.AddHours(1)),
                // Past the warning but a tick before the due time still meets it.
                WithSla(Decided(created, Verdict.Reject, TimeSpan.FromHours(1) - TimeSpan.FromTicks(1)), created.AddHours(1)),
                // Breached from the due instant on, as the worker and the inbox have it.
                WithSla(Decided(created, Verdict.Approve, TimeSpan.FromHours(1)), created.AddHours(1)),
                // A timeout's decision counts like a person's: the agent had its answer then.
                WithSla(Record(created, Outcome.Review, timedOut: true) with
                {
                    Status = CaseStatus.Rejected, Verdict = Verdict.Reject, DecidedAt = created.AddHours(3),
                }, created.AddHours(1)),
            ],
            Now,
            1);

        Assert.Equal(new SlaAttainment(Met: 2, Missed: 2, AtRisk: 0, Breached: 0), overview.Sla);
        Assert.Equal(0.5, overview.Sla.Rate);
    }

    [Fact]
    public void Compute_OpenCasesWithAnSla_AreAtRiskFromTheirWarningAndBreachedFromTheirDueTime()
    {
        var overview = CaseStatistics.Compute(
            [
                WithSla(Record(Now.AddHours(-1), Outcome.Review), Now.AddMinutes(30), Now.AddMinutes(1)),
                WithSla(Record(Now.AddHours(-1), Outcome.Review), Now.AddMinutes(30), Now),
                WithSla(Record(Now.AddHours(-1), Outcome.Escalate) with { Status = CaseStatus.Escalated }, Now.AddMinutes(1), Now.AddMinutes(-10)),
                WithSla(Record(Now.AddHours(-1), Outcome.Review) with { Status = CaseStatus.Assigned }, Now, Now.AddMinutes(-10)),
                WithSla(Record(Now.AddHours(-2), Outcome.Review), Now.AddHours(-1), Now.AddHours(-1)),
            ],
            Now,
            1);

        Assert.Equal(new SlaAttainment(Met: 0, Missed: 0, AtRisk: 2, Breached: 2), overview.Sla);
        // Nothing with an SLA was decided yet, so there is no rate rather than 0 %.
        Assert.Null(overview.Sla.Rate);
    }

    [Fact]
    public void Compute_CasesWithAnSlaOutsideThePeriod_AreLeftOut()
    {
        var early = Now.AddDays(-2);
        var overview = CaseStatistics.Compute(
            [
                WithSla(Decided(early, Verdict.Approve, TimeSpan.FromMinutes(5)), early.AddHours(1)),
                WithSla(Record(early, Outcome.Review), early.AddHours(1)),
                WithSla(Decided(Now.AddHours(-1), Verdict.Approve, TimeSpan.FromMinutes(5)), Now),
            ],
            Now,
            1);

        Assert.Equal(new SlaAttainment(Met: 1, Missed: 0, AtRisk: 0, Breached: 0), overview.Sla);
        Assert.Equal(1, overview.Sla.Rate);
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
        var times = new DecisionTimes();
        foreach (var m in minutes.Reverse())
        {
            times.Add(TimeSpan.FromMinutes(m));
        }

        Assert.Equal(TimeSpan.FromMinutes(expected), times.NearestRank(percentile));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(59.9, 59)]
    [InlineData(3599.99, 3599)]
    [InlineData(3600, 3600)]
    [InlineData(3659, 3600)]
    [InlineData(5 * 3600 + 61, 5 * 3600 + 60)]
    [InlineData(86_399, 86_340)]
    [InlineData(86_400 + 3599, 86_400)]
    [InlineData(-5, 0)]
    public void DecisionTimes_Step_KeepsWhatTheOverviewShows(double seconds, int step)
    {
        Assert.Equal(TimeSpan.FromSeconds(step), DecisionTimes.Step(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(3601)]
    [InlineData(6100)]
    [InlineData(86_460)]
    [InlineData(-1)]
    public void DecisionTimes_AddingCountsAtWhatIsNotAStep_Throws(long seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecisionTimes().Add(seconds, 1));
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

    /// <summary>The record with an SLA due at <paramref name="dueAt"/>, warning at <paramref name="warnAt"/> (else 80 % of the way there).</summary>
    private static CaseRecord WithSla(CaseRecord record, DateTimeOffset dueAt, DateTimeOffset? warnAt = null) =>
        record with { SlaDueAt = dueAt, SlaWarnAt = warnAt ?? record.CreatedAt + ((dueAt - record.CreatedAt) * 0.8) };

    private static CaseRecord Decided(DateTimeOffset createdAt, Verdict verdict, TimeSpan after) =>
        Record(createdAt, Outcome.Review) with
        {
            Status = verdict == Verdict.Reject ? CaseStatus.Rejected : CaseStatus.Approved,
            Verdict = verdict,
            DecidedByPerson = true,
            DecidedAt = createdAt + after,
        };
}
