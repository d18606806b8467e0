using Bunit;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Server.Dashboard.Pages;
using Handoff.Storage;

namespace Handoff.Server.Tests.Dashboard.Pages;

public sealed class OverviewTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Render_CasesOfThePeriod_ShowsTheirNumbers(bool rolledUp)
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var start = context.Time.GetUtcNow();
        var reviewer = new Actor("user", "u2", "Rita");
        await CreateAsync(context, start.AddDays(-2), Outcome.Auto, CaseStatus.Approved, "id-auto");
        var quick = await CreateAsync(context, start.AddDays(-1), Outcome.Review, CaseStatus.Pending, "id-quick");
        var slow = await CreateAsync(context, start.AddDays(-1), Outcome.Review, CaseStatus.Pending, "id-slow");
        await CreateAsync(context, start, Outcome.Review, CaseStatus.Pending, "id-open");
        await CreateAsync(context, start.AddDays(-40), Outcome.Review, CaseStatus.Pending, "id-too-old");
        await context.Store.DecideCaseAsync(context.WorkspaceId, quick, Decision(reviewer, start.AddDays(-1).AddMinutes(4), Verdict.Approve), CaseStatus.Approved, Ct);
        await context.Store.DecideCaseAsync(context.WorkspaceId, slow, Decision(reviewer, start.AddDays(-1).AddMinutes(10), Verdict.Reject), CaseStatus.Rejected, Ct);
        // The closed cases read case by case, or from the daily roll-ups: the same numbers either way.
        while (rolledUp && await context.Store.RollUpClosedCasesAsync(1, Ct) > 0)
        {
        }

        var page = context.Render<Overview>();

        page.WaitForAssertion(() => Assert.Equal("25%", page.Find("#overview-automation-rate").TextContent));
        Assert.Equal("4", page.Find("#overview-submitted").TextContent);
        Assert.Equal("3", page.Find("#overview-escalated").TextContent);
        Assert.Equal("4m 00s", page.Find("#overview-p50").TextContent);
        Assert.Equal("10m 00s", page.Find("#overview-p90").TextContent);
        Assert.Equal(30, page.FindAll("#chart-cases rect.bar").Count);
        Assert.Equal(["Nov 22: 1", "Nov 23: 2", "Nov 24: 1"], page.FindAll("#chart-cases rect.bar title").TakeLast(3).Select(t => t.TextContent));
        Assert.Equal(["high-value: 3"], page.FindAll("#chart-rules rect.bar title").Select(t => t.TextContent));
        Assert.Equal(
            ["approve: 1", "edit: 0", "choose: 0", "reject: 1", "respond: 0", "hand back: 0"],
            page.FindAll("#chart-verdicts rect.bar title").Select(t => t.TextContent));
    }

    [Fact]
    public async Task Render_NoCases_ShowsZerosAndNoTimes()
    {
        await using var context = await DashboardTestContext.CreateAsync();

        var page = context.Render<Overview>();

        page.WaitForAssertion(() => Assert.Equal("0%", page.Find("#overview-automation-rate").TextContent));
        Assert.Equal("—", page.Find("#overview-p50").TextContent);
        Assert.Equal("—", page.Find("#overview-p90").TextContent);
        Assert.All(page.FindAll("#chart-cases rect.bar"), b => Assert.Equal("0", b.GetAttribute("height")));
    }

    [Fact]
    public async Task Render_CasesWithAnSla_ShowsAttainmentAndTheOpenCasesAtRiskOrBreached()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var now = context.Time.GetUtcNow();
        var reviewer = new Actor("user", "u2", "Rita");
        var early = await CreateAsync(context, now.AddHours(-3), Outcome.Review, CaseStatus.Pending, "id-early", Sla(now.AddHours(-2)));
        var onTime = await CreateAsync(context, now.AddHours(-3), Outcome.Review, CaseStatus.Pending, "id-on-time", Sla(now.AddHours(-2)));
        var late = await CreateAsync(context, now.AddHours(-3), Outcome.Review, CaseStatus.Pending, "id-late", Sla(now.AddHours(-2)));
        await context.Store.DecideCaseAsync(context.WorkspaceId, early, Decision(reviewer, now.AddHours(-3).AddMinutes(5), Verdict.Approve), CaseStatus.Approved, Ct);
        await context.Store.DecideCaseAsync(context.WorkspaceId, onTime, Decision(reviewer, now.AddHours(-2).AddMinutes(-1), Verdict.Reject), CaseStatus.Rejected, Ct);
        await context.Store.DecideCaseAsync(context.WorkspaceId, late, Decision(reviewer, now.AddHours(-1), Verdict.Approve), CaseStatus.Approved, Ct);
        await CreateAsync(context, now.AddMinutes(-50), Outcome.Review, CaseStatus.Pending, "id-at-risk", Sla(now.AddMinutes(10), now.AddMinutes(-2)));
        await CreateAsync(context, now.AddHours(-2), Outcome.Review, CaseStatus.Pending, "id-breached", Sla(now.AddHours(-1)));
        await CreateAsync(context, now.AddMinutes(-5), Outcome.Review, CaseStatus.Pending, "id-fine", Sla(now.AddHours(1)));
        await CreateAsync(context, now.AddMinutes(-5), Outcome.Review, CaseStatus.Pending, "id-no-sla");

        var page = context.Render<Overview>();

        page.WaitForAssertion(() => Assert.Equal("66.7%", page.Find("#overview-sla-rate").TextContent));
        Assert.Equal("2 of 3 met", page.Find("#overview-sla-met").TextContent);
        Assert.Equal("Open: 1 at risk, 1 breached", page.Find("#overview-sla-open").TextContent);
        Assert.Equal("sla sla-warning", page.Find("#overview-sla-at-risk").ClassName);
        Assert.Equal("sla sla-breached", page.Find("#overview-sla-breached").ClassName);
    }

    [Fact]
    public async Task Render_NoCaseWithAnSla_ShowsNoAttainmentAndNothingOpenAtRisk()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        await CreateAsync(context, context.Time.GetUtcNow(), Outcome.Review, CaseStatus.Pending, "id-no-sla");

        var page = context.Render<Overview>();

        page.WaitForAssertion(() => Assert.Equal("—", page.Find("#overview-sla-rate").TextContent));
        Assert.Equal("No case with an SLA decided yet", page.Find("#overview-sla-met").TextContent);
        Assert.Equal("Open: 0 at risk, 0 breached", page.Find("#overview-sla-open").TextContent);
        Assert.False(page.Find("#overview-sla-at-risk").HasAttribute("class"));
        Assert.False(page.Find("#overview-sla-breached").HasAttribute("class"));
    }

    /// <summary>An SLA due at <paramref name="dueAt"/>, warning at <paramref name="warnAt"/> (else half an hour before).</summary>
    private static CaseSla Sla(DateTimeOffset dueAt, DateTimeOffset? warnAt = null) =>
        new() { DueAt = dueAt, WarnAt = warnAt ?? dueAt.AddMinutes(-30) };

    private static async Task<string> CreateAsync(
        DashboardTestContext context, DateTimeOffset at, Outcome outcome, CaseStatus status, string id, CaseSla? sla = null)
    {
        var reasons = outcome == Outcome.Auto ? [] : new[] { new Reason("high-value", "Deals above 1,000 need a person's review.") };
        var content = new CaseContent { Kind = CaseKind.Reply, Summary = "Refund", Proposal = new Proposal("Refunded.", null, 0.9) };
        var result = await context.Store.CreateCaseAsync(new HandoffCase
        {
            Id = id,
            WorkspaceId = context.WorkspaceId,
            Content = content,
            Evaluation = new Evaluation(outcome, reasons, "sales", Priority.Normal, 0.75, 1),
            Status = status,
            CreatedAt = at,
            UpdatedAt = at,
            // The policy's own approval, as the server records it on an auto case: no person's decision.
            Decision = Decisions.ByPolicy(content, outcome, 1, at),
            Sla = sla,
        }, Ct);
        Assert.True(result.Created);
        return id;
    }

    private static Decision Decision(Actor? by, DateTimeOffset at, Verdict verdict) => new()
    {
        Verdict = verdict,
        ProposalDigest = new string('a', 64),
        DecidedBy = by,
        DecidedAt = at,
    };
}
