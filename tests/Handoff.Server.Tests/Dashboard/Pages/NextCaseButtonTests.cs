using Bunit;
using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Server.Dashboard.Pages;
using Handoff.Server.Dashboard.Shared;
using Handoff.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace Handoff.Server.Tests.Dashboard.Pages;

/// <summary>The inbox's "Next case" button and its <c>n</c> key, for a person of a pull team.</summary>
public sealed class NextCaseButtonTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task NextCase_Clicked_TakesTheMostUrgentCaseForThePerson_AndOpensIt()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Reviewer);
        var cases = await context.AddCaseLoopAsync();
        await JoinPullTeamAsync(context, "sales");
        var older = await cases.SubmitRefundAsync(context, 2500, "Older Customer");
        context.Time.Advance(TimeSpan.FromMinutes(1));
        await cases.SubmitRefundAsync(context, 3000, "Newer Customer");
        var inbox = context.Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.Equal(2, inbox.FindAll("li.case-row").Count));

        await inbox.Find("#next-case").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        Assert.EndsWith($"/cases/{older.Id}", context.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
        Assert.Equal(context.User.Id, (await context.Store.GetCaseAsync(context.WorkspaceId, older.Id, Ct))!.AssignedTo?.Id);
    }

    [Fact]
    public async Task NextCaseKey_WithNothingWaitingForThePerson_SaysSo_AndOpensNothing()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Reviewer);
        await context.AddCaseLoopAsync();
        await JoinPullTeamAsync(context, "sales");
        var inbox = context.Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.Contains("Nothing waiting", inbox.Markup, StringComparison.Ordinal));
        var start = context.Services.GetRequiredService<NavigationManager>().Uri;

        await inbox.InvokeAsync(() => KeyHandler(context).OnKey("n"));

        inbox.WaitForAssertion(() => Assert.Equal("Nothing is waiting for you.", inbox.Find("#next-case-message").TextContent));
        Assert.Equal(start, context.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task NextCaseButton_ForAPersonWithoutAPullTeam_IsNotShown()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Reviewer);
        await context.AddCaseLoopAsync();
        var inbox = context.Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.Contains("Nothing waiting", inbox.Markup, StringComparison.Ordinal));

        Assert.Empty(inbox.FindAll("#next-case"));
        Assert.DoesNotContain("next case", inbox.Find("p.keys").TextContent, StringComparison.Ordinal);
    }

    /// <summary>Adds the pull team and makes the signed-in person a member, before the page reads them.</summary>
    private static async Task JoinPullTeamAsync(DashboardTestContext context, string team)
    {
        var added = await context.Store.AddTeamAsync(
            new Team { WorkspaceId = context.WorkspaceId, Name = team, DisplayName = team, Mode = AssignmentMode.Pull }, Actor.Cli("tests"), Ct);
        Assert.Equal(TeamResultStatus.Done, added.Status);
        await context.Store.UpdateUserAsync(context.WorkspaceId, context.User.Id, new UserChanges { Teams = [.. context.User.Teams, team] }, Actor.Cli("tests"), Ct);
    }

    // The page's keyboard handler as the browser's script would call it (see dashboard.js).
    private static KeyboardShortcuts KeyHandler(DashboardTestContext context) =>
        ((DotNetObjectReference<KeyboardShortcuts>)context.JSInterop.Invocations["handoff.attach"][^1].Arguments[0]!).Value;
}
