using Bunit;
using Handoff.Core.Cases;
using Handoff.Server.Dashboard.Pages;

namespace Handoff.Server.Tests.Dashboard.Pages;

/// <summary>The agreement page: people's verdicts per rule, intent, action or confidence band, with intervals and weeks.</summary>
public sealed class AgreementPageTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithoutDecisions_SaysSo()
    {
        await using var context = await DashboardTestContext.CreateAsync();

        var page = context.Render<AgreementPage>();

        page.WaitForAssertion(() => Assert.Equal("No decisions by people in this period yet.", page.Find("#agreement-empty").TextContent));
    }

    [Fact]
    public async Task PeoplesVerdicts_AreCountedByRule_AndByAction_OnRequest()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        var person = new Actor("user", context.User.Id, context.User.Name);
        foreach (var (amount, verdict) in new[] { (2500, Verdict.Approve), (1800, Verdict.Approve), (3100, Verdict.Reject) })
        {
            var c = await cases.SubmitRefundAsync(context, amount);
            var decision = new Decision { Verdict = verdict, ProposalDigest = new string('a', 64), DecidedBy = person, DecidedAt = c.CreatedAt.AddMinutes(2), Text = verdict == Verdict.Reject ? "No." : null };
            await context.Store.DecideCaseAsync(context.WorkspaceId, c.Id, decision, verdict == Verdict.Reject ? CaseStatus.Rejected : CaseStatus.Approved, Ct);
        }

        var page = context.Render<AgreementPage>();

        page.WaitForAssertion(() => Assert.StartsWith("3 decisions by people since", page.Find("#agreement-total").TextContent, StringComparison.Ordinal));
        var row = page.Find("#agreement tbody tr");
        Assert.Equal("high-value", row.GetAttribute("data-key"));
        Assert.Equal(["3", "2", "0", "1"], row.QuerySelectorAll("td.num").Select(static td => td.TextContent));
        Assert.Equal("66.7%", row.QuerySelector(".rate")!.TextContent);

        page.Find("#agreement-by").Change("Action");

        page.WaitForAssertion(() => Assert.Equal("issue_refund", page.Find("#agreement tbody tr").GetAttribute("data-key")));
    }

    [Fact]
    public async Task ARecommendation_IsShownToAnAdmin_AndApplyingItPublishesANewVersion()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        var person = new Actor("user", context.User.Id, context.User.Name);
        for (var i = 0; i < 75; i++)
        {
            var c = await cases.SubmitRefundAsync(context, 1500 + i);
            await context.Store.DecideCaseAsync(context.WorkspaceId, c.Id, new Decision { Verdict = Verdict.Approve, ProposalDigest = new string('a', 64), DecidedBy = person, DecidedAt = c.CreatedAt }, CaseStatus.Approved, Ct);
        }

        var page = context.Render<AgreementPage>();
        page.WaitForAssertion(() => Assert.Equal("auto:high-value", page.Find("#recommendations li").GetAttribute("data-id")));
        var before = (await context.Store.ListPoliciesAsync(context.WorkspaceId, Ct)).Count;

        await page.InvokeAsync(() => page.Find("#recommendations li button").ClickAsync(new()));

        page.WaitForAssertion(() => Assert.StartsWith("Published policy version", page.Find("#recommendation-banner").TextContent, StringComparison.Ordinal));
        var versions = await context.Store.ListPoliciesAsync(context.WorkspaceId, Ct);
        Assert.Equal(before + 1, versions.Count);
        Assert.Contains("outcome: auto\n    team: sales", versions.MaxBy(static v => v.Version)!.Source, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#recommendations li"));
    }
}
