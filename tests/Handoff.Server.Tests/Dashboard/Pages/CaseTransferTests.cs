using Bunit;
using Handoff.Core.Cases;
using Handoff.Server.Dashboard.Pages;
using Handoff.Server.Dashboard.Shared;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Dashboard.Pages;

public sealed class CaseTransferTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Transfer_ToAnotherTeam_QueuesTheCaseThereAndSaysSo()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Reviewer);
        var cases = await context.AddCaseLoopAsync();
        await context.Store.AddTeamAsync(new Team { WorkspaceId = context.WorkspaceId, Name = "billing", DisplayName = "Billing" }, Actor.System, Ct);
        var refund = await cases.SubmitRefundAsync(context, 2500);
        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));
        page.WaitUntilClaimed();

        await page.InvokeAsync(() => page.Find("#transfer").ClickAsync(new()));
        await page.InvokeAsync(() => page.Find("#transfer-to").ChangeAsync(new() { Value = "team:billing" }));
        await page.InvokeAsync(() => page.Find("#transfer-note").ChangeAsync(new() { Value = "A billing question" }));
        await page.InvokeAsync(() => page.Find("#confirm-transfer").ClickAsync(new()));

        var moved = await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct);
        Assert.Equal(("billing", CaseStatus.Pending), (moved!.Evaluation.Team, moved.Status));
        Assert.Null(moved.AssignedTo);
        var notice = context.Services.GetRequiredService<LastDecision>().Notice!;
        Assert.Equal(("team billing", "Transferred with the note “A billing question”"), (notice.Recipient, notice.Sent));
        Assert.Equal("case.transferred", (await context.Store.GetCaseHistoryAsync(context.WorkspaceId, refund.Id, Ct))[^1].Action);
    }

    [Fact]
    public async Task Transfer_ToAColleague_GivesThemTheCase()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Reviewer);
        var cases = await context.AddCaseLoopAsync();
        var ben = (await context.Store.AddUserAsync(new NewUser(context.WorkspaceId, "ben@example.com", "Ben Okafor", UserRole.Reviewer, [], "hash"), Actor.System, Ct))!;
        var refund = await cases.SubmitRefundAsync(context, 2500);
        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));
        page.WaitUntilClaimed();

        await page.InvokeAsync(() => page.Find("#transfer").ClickAsync(new()));
        await page.InvokeAsync(() => page.Find("#transfer-to").ChangeAsync(new() { Value = $"person:{ben.Id}" }));
        await page.InvokeAsync(() => page.Find("#confirm-transfer").ClickAsync(new()));

        Assert.Equal(ben.Id, (await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct))!.AssignedTo?.Id);
    }

    [Fact]
    public async Task Transfer_IsNotOfferedToAReviewerOnACaseSomeoneElseHolds()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Reviewer);
        var cases = await context.AddCaseLoopAsync();
        var refund = await cases.SubmitRefundAsync(context, 2500);
        await context.Store.ClaimCaseAsync(context.WorkspaceId, refund.Id, new Actor(Actor.UserKind, "u_other", "Olga Other"), context.Time.GetUtcNow(), Ct);

        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));

        page.WaitForAssertion(() => Assert.Contains("Olga Other", page.Find("#case-banner").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#transfer"));
    }
}
