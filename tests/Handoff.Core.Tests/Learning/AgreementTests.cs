using Handoff.Core.Cases;
using Handoff.Core.Learning;

namespace Handoff.Core.Tests.Learning;

/// <summary>Agreement statistics: counts per group, Wilson intervals, weekly trends.</summary>
public sealed class AgreementTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ByRule_CountsEachDecisionUnderEachOfItsRules_WithWilsonIntervals()
    {
        var records = Enumerable.Range(0, 312).Select(i => Record(Verdict.Approve, ["refund-review"], at: Monday.AddHours(i)))
            .Append(Record(Verdict.Edit, ["refund-review", "vip"]))
            .Append(Record(Verdict.Reject, ["refund-review"]))
            .Append(Record(Verdict.Choose, []));

        var rows = Agreement.Compute(records, AgreementGroup.Rule);

        Assert.Equal(["refund-review", "(none)", "vip"], rows.Select(static r => r.Key));
        var refund = rows[0];
        Assert.Equal((314, 312, 1, 1), (refund.Decisions, refund.ApprovedUnchanged, refund.Edited, refund.Rejected));
        Assert.Equal(0.977, refund.Unchanged.Lower, 3);
        Assert.Equal((1, 0, 1, 0), (rows[1].Decisions, rows[1].ApprovedUnchanged, rows[1].Edited, rows[1].Rejected));
    }

    [Fact]
    public void Weeks_StartOnMonday_OldestFirst_OnlyThoseWithDecisions()
    {
        var records = new[]
        {
            Record(Verdict.Approve, ["r"], at: Monday.AddDays(-1)), // Sunday: the week before
            Record(Verdict.Approve, ["r"], at: Monday),
            Record(Verdict.Reject, ["r"], at: Monday.AddDays(6).AddHours(13)), // Sunday 23:00 UTC: still this week
            Record(Verdict.Approve, ["r"], at: Monday.AddDays(21)),
        };

        var weeks = Assert.Single(Agreement.Compute(records, AgreementGroup.Rule)).Weeks;

        Assert.Equal(
            [new AgreementWeek(new DateOnly(2026, 11, 23), 1, 1), new AgreementWeek(new DateOnly(2026, 11, 30), 2, 1), new AgreementWeek(new DateOnly(2026, 12, 21), 1, 1)],
            weeks);
    }

    [Theory]
    [InlineData(null, "(none)")]
    [InlineData(0.12, "< 0.5")]
    [InlineData(0.5, "0.5–0.6")]
    [InlineData(0.79, "0.7–0.8")]
    [InlineData(0.9, "0.9–1.0")]
    [InlineData(1.0, "0.9–1.0")]
    public void Band_IsATenthFromAHalf(double? confidence, string band) => Assert.Equal(band, Agreement.Band(confidence));

    [Fact]
    public void ByIntentActionAndConfidence_NameWhatIsMissing()
    {
        var records = new[] { Record(Verdict.Approve, [], intent: null, action: null, confidence: null), Record(Verdict.Approve, [], intent: "refund", action: "refund", confidence: 0.66) };

        Assert.Equal(["(none)", "refund"], Agreement.Compute(records, AgreementGroup.Intent).Select(static r => r.Key));
        Assert.Equal(["(reply)", "refund"], Agreement.Compute(records, AgreementGroup.Action).Select(static r => r.Key));
        Assert.Equal(["(none)", "0.6–0.7"], Agreement.Compute(records, AgreementGroup.Confidence).Select(static r => r.Key));
    }

    private static DecisionRecord Record(
        Verdict verdict, string[] rules, DateTimeOffset? at = null, string? intent = "refund", string? action = "refund", double? confidence = 0.7) =>
        new($"cs_{Guid.NewGuid():N}", Monday, at ?? Monday, CaseKind.Action, action, intent, rules, confidence, verdict, "usr_1", "text");
}
