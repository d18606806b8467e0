using Bunit;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Server.Dashboard.Pages;
using Handoff.Server.Dashboard.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Dashboard.Pages;

/// <summary>The case page under a two-person rule: it says how many approvals are needed, and the first one waits.</summary>
public sealed class TwoPersonRuleTests
{
    private const string Policy = """
        rules:
          - id: big-refund
            when: { facts.amount: { gt: 1000 } }
            outcome: review
            approvals: 2
            reason: Refunds above 1,000 need two people.
        """;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Approve_AsTheFirstOfTwo_KeepsTheCaseOpenAndSaysTheAgentWaits()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        await context.Store.PublishPolicyAsync(context.WorkspaceId, Policy, Actor.System, Ct);
        var refund = await cases.SubmitRefundAsync(context, 2500);
        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));
        page.WaitUntilClaimed();
        Assert.Equal("Needs 2 approvals by different people. None yet.", page.Find("#approvals").TextContent.Trim());

        await page.InvokeAsync(() => page.Find("#approve").ClickAsync(new()));

        var stored = (await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct))!;
        Assert.Equal(CaseStatus.Pending, stored.Status);
        Assert.Null(stored.Decision);
        Assert.Equal(context.User.Id, Assert.Single(stored.Approvals!).DecidedBy!.Id);
        var notice = context.Services.GetRequiredService<LastDecision>().Notice!;
        Assert.Equal("Approved the proposal as it was (approval 1 of 2)", notice.Sent);
        Assert.Equal("the next approver; the agent hears once every approval is in", notice.Recipient);

        // The same person cannot add the second approval.
        var again = await cases.DecideAsync(context.WorkspaceId, refund.Id, new DecisionRequest(Verdict.Approve), new Actor(Actor.UserKind, context.User.Id, context.User.Name), "reviewer", Ct);
        Assert.False(again.Invalid!.Succeeded);
        var second = await cases.DecideAsync(context.WorkspaceId, refund.Id, new DecisionRequest(Verdict.Approve), new Actor(Actor.UserKind, "u_sam", "Sam Second"), "reviewer", Ct);
        Assert.Equal(CaseStatus.Approved, second.Update!.Case!.Status);
    }
}
