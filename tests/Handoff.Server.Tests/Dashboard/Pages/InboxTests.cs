using Bunit;
using Handoff.Core.Cases;
using Handoff.Server.Dashboard.Pages;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Dashboard.Pages;

public sealed class InboxTests
{
    [Fact]
    public async Task Render_OpenCases_ShowsThemMostUrgentFirstWithReasonsAndCountdown()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        // A returning customer: that rule fires too, but only lowers the floor, so it is no reason the case is here.
        var older = await cases.SubmitRefundAsync(context, 2500, "Older Customer", TimeSpan.FromMinutes(30), returning: true);
        context.Time.Advance(TimeSpan.FromMinutes(1));
        await cases.SubmitRefundAsync(context, 3000, "Newer Customer", TimeSpan.FromMinutes(3));

        var inbox = context.Render<Inbox>();

        inbox.WaitForAssertion(() => Assert.Equal(2, inbox.FindAll("li.case-row").Count));
        var rows = inbox.FindAll("li.case-row");
        Assert.Equal(older.Id, rows[0].GetAttribute("data-case-id"));
        Assert.Contains("Older Customer", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("high-value", Assert.Single(rows[0].QuerySelectorAll(".chip")).TextContent);
        Assert.Equal("29m 00s left", rows[0].QuerySelector(".countdown")?.TextContent);
        // The returning customer's rule lowered the floor to 0.6: a number is never shown without what it is.
        Assert.Equal("confidence 0.90 (floor 0.60)", rows[0].QuerySelector(".confidence")?.TextContent);
        Assert.Equal("team sales", rows[0].QuerySelector(".team")?.TextContent);
        Assert.Contains("urgent", rows[1].QuerySelector(".countdown")?.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_CaseWithAnSla_ShowsTimeLeftColoredByItsState()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        await context.Store.PublishPolicyAsync(context.WorkspaceId, """
            rules:
              - id: high-value
                when: { facts.amount: { gt: 1000 } }
                outcome: review
                team: sales
                sla: 1h
                reason: Big refunds need a person.
            """, Actor.System, Xunit.TestContext.Current.CancellationToken);
        var withSla = await cases.SubmitRefundAsync(context, 2500);
        Assert.NotNull(withSla.Sla);
        context.Time.Advance(TimeSpan.FromMinutes(10));

        var inbox = context.Render<Inbox>();

        inbox.WaitForAssertion(() => Assert.Equal("SLA 50m left", inbox.Find("li.case-row .sla").TextContent));
        Assert.Contains("sla-ok", inbox.Find("li.case-row .sla").ClassName, StringComparison.Ordinal);
        context.Time.Advance(TimeSpan.FromMinutes(40));
        inbox.WaitForAssertion(() => Assert.Equal("SLA 10m left", inbox.Find("li.case-row .sla").TextContent));
        Assert.Contains("sla-warning", inbox.Find("li.case-row .sla").ClassName, StringComparison.Ordinal);
        context.Time.Advance(TimeSpan.FromMinutes(15));
        inbox.WaitForAssertion(() => Assert.Equal("SLA breached 5m ago", inbox.Find("li.case-row .sla").TextContent));
        Assert.Contains("sla-breached", inbox.Find("li.case-row .sla").ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_WhenAnAgentSubmitsAndSomeoneDecides_UpdatesWithoutReloading()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        var inbox = context.Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.Contains("Nothing waiting", inbox.Markup, StringComparison.Ordinal));

        var submitted = await cases.SubmitRefundAsync(context, 2500);
        inbox.WaitForAssertion(() => Assert.Single(inbox.FindAll("li.case-row")));
        await cases.ClaimAsync(context.WorkspaceId, submitted.Id, new Actor("user", "u_sam", "Sam Second"), Xunit.TestContext.Current.CancellationToken);
        // Taken by someone else: it leaves my list, and shows who has it when I ask for others' cases too.
        inbox.WaitForAssertion(() => Assert.Empty(inbox.FindAll("li.case-row")));
        await inbox.Find("#filter-others").ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });
        Assert.Contains("assigned · Sam Second", inbox.Find("li.case-row .status").TextContent, StringComparison.Ordinal);
        await cases.DecideAsync(context.WorkspaceId, submitted.Id, new DecisionRequest(Verdict.Approve), new Actor("user", "u_sam", "Sam Second"), "reviewer", Xunit.TestContext.Current.CancellationToken);

        inbox.WaitForAssertion(() => Assert.Empty(inbox.FindAll("li.case-row")));
    }

    [Fact]
    public async Task Render_WhenSignalsMayHaveBeenLost_ReloadsAndShowsWhatItMissed()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        await context.AddCaseLoopAsync();
        var inbox = context.Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.Contains("Nothing waiting", inbox.Markup, StringComparison.Ordinal));

        // Submitted on another node whose signal never came; then the relay listens again and says so.
        await context.OtherNode().SubmitRefundAsync(context, 2500);
        Assert.Empty(inbox.FindAll("li.case-row"));
        context.Services.GetRequiredService<Handoff.Server.Events.CaseNotifier>().WakeAll();

        inbox.WaitForAssertion(() => Assert.Single(inbox.FindAll("li.case-row")));
    }

    [Fact]
    public async Task Dispose_ALivePage_StopsFollowingTheWorkspace()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        await context.AddCaseLoopAsync();
        var notifier = context.Services.GetRequiredService<Handoff.Server.Events.CaseNotifier>();
        var inbox = context.Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.Equal(1, notifier.SubscriberCount(context.WorkspaceId)));

        await context.DisposeComponentsAsync();

        Assert.Equal(0, notifier.SubscriberCount(context.WorkspaceId));
    }

    [Fact]
    public async Task Render_ForAReviewer_ShowsOnlyTheCasesOfTheirTeams()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Reviewer);
        var cases = await context.AddCaseLoopAsync();
        // The reviewer is in "support"; refunds above 1,000 go to "sales".
        await cases.SubmitRefundAsync(context, 2500);

        var inbox = context.Render<Inbox>();

        inbox.WaitForAssertion(() => Assert.Contains("Nothing waiting", inbox.Markup, StringComparison.Ordinal));
        Assert.Contains("for support", inbox.Markup, StringComparison.Ordinal);
    }
}
