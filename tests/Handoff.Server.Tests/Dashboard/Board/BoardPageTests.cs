using System.Text.Json;
using Bunit;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Routing;
using Handoff.Server.Cases;
using Handoff.Server.Dashboard.Board;
using Handoff.Server.Dashboard.Shared;
using Handoff.Server.Tests.Dashboard.Pages;
using Handoff.Storage;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace Handoff.Server.Tests.Dashboard.Board;

public sealed class BoardPageTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Board_ShowsPresenceLoadAgainstCapacityQueuesAndRingingOffers()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Supervisor);
        var cases = await SetUpAsync(context);
        var ana = await AddPersonAsync(context, "ana@example.com", "Ana Lima", 4, Presence.Online);
        var ben = await AddPersonAsync(context, "ben@example.com", "Ben Okafor", 5, Presence.Offline);
        var held = await cases.SubmitRefundAsync(context, 2500);
        var ringing = await cases.SubmitRefundAsync(context, 1800);
        var waiting = await cases.SubmitRefundAsync(context, 1200);
        await context.Store.ClaimCaseAsync(context.WorkspaceId, held.Id, Person(ana), context.Time.GetUtcNow(), Ct);
        await context.Store.OfferCaseAsync(context.WorkspaceId, ringing.Id, Person(ben), context.Time.GetUtcNow(), TimeSpan.FromSeconds(30), Ct);
        context.Time.Advance(TimeSpan.FromSeconds(10));

        var page = context.Render<BoardPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#board-people")));
        var anaCard = page.Find($"[data-person-id='{ana.Id}']");
        Assert.Contains("online", anaCard.TextContent, StringComparison.Ordinal);
        // Submitted while Ana was online, the policy's default mode (either) made the case live: it weighs 3.
        Assert.Equal("3 of 4", anaCard.QuerySelector(".load-text")!.TextContent);
        Assert.Contains("Refund 2500", anaCard.QuerySelector(".held")!.TextContent, StringComparison.Ordinal);
        var benCard = page.Find($"[data-person-id='{ben.Id}']");
        Assert.Contains("offline", benCard.TextContent, StringComparison.Ordinal);
        Assert.Contains("Ringing: Refund 1800", benCard.TextContent, StringComparison.Ordinal);
        Assert.Contains("20 s left", page.Find("#board-offers").TextContent, StringComparison.Ordinal);
        Assert.Contains("Ben Okafor", page.Find("#board-offers").TextContent, StringComparison.Ordinal);
        // Two cases wait in sales (the ringing one is nobody's yet); the oldest has waited 10 s.
        var queue = page.Find("#chart-queue").TextContent;
        Assert.Contains("Sales · pull", queue, StringComparison.Ordinal);
        Assert.Contains("2 cases", queue, StringComparison.Ordinal);
        Assert.Contains("10s", page.Find("#chart-wait").TextContent, StringComparison.Ordinal);
        // Offline: Ben, and the supervisor looking at the board, who never chose a presence here.
        Assert.Equal(("1", "2", "2"), (page.Find("#board-online").TextContent, page.Find("#board-offline").TextContent, page.Find("#board-waiting").TextContent));
        Assert.Contains(waiting.Id, page.Find("#board-open").InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Board_ListsCasesAtRiskMostUrgentFirstWithTimeLeftOrOverdue()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Supervisor);
        await SetUpAsync(context);
        var now = context.Time.GetUtcNow();
        var calm = await AddCaseWithSlaAsync(context, "Calm", now, TimeSpan.FromHours(1));
        var warning = await AddCaseWithSlaAsync(context, "Nearly due", now.AddMinutes(-50), TimeSpan.FromHours(1));
        var breached = await AddCaseWithSlaAsync(context, "Overdue", now.AddMinutes(-75), TimeSpan.FromHours(1));

        var page = context.Render<BoardPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#board-at-risk")));
        var rows = page.FindAll("#board-at-risk li");
        Assert.Equal(2, rows.Count);
        Assert.Contains("Overdue", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("overdue by 15m 00s", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Nearly due", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("10m 00s left", rows[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(calm.Id, page.Find("#board-at-risk").InnerHtml, StringComparison.Ordinal);
        Assert.Equal("2", page.Find("#board-risk").TextContent);
        _ = (warning, breached);
    }

    [Fact]
    public async Task Reassign_ByKey_GivesTheSelectedCaseToThePersonChosenByTyping()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Supervisor);
        var cases = await SetUpAsync(context);
        await AddPersonAsync(context, "ana@example.com", "Ana Lima", 4, Presence.Online);
        var ben = await AddPersonAsync(context, "ben@example.com", "Ben Okafor", 5, Presence.Online);
        var refund = await cases.SubmitRefundAsync(context, 2500);
        var page = context.Render<BoardPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#board-open")));

        await PressAsync(context, page, "j");
        await PressAsync(context, page, "r");
        await page.Find("#reassign-filter").InputAsync(new() { Value = "ok" });
        await page.Find("#reassign-note").ChangeAsync(new() { Value = "Ben speaks Portuguese" });
        await page.Find("#reassign-filter").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });

        var stored = await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct);
        Assert.Equal((ben.Id, CaseStatus.Assigned), (stored!.AssignedTo?.Id, stored.Status));
        page.WaitForAssertion(() => Assert.Contains("to Ben Okafor", page.Find("#board-message").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#reassign-picker"));
        var entry = (await context.Store.GetCaseHistoryAsync(context.WorkspaceId, refund.Id, Ct))[^1];
        Assert.Equal(("case.reassigned", context.User.Id), (entry.Action, entry.ActorId));
        Assert.Contains("Ben speaks Portuguese", entry.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reassign_ByArrowKeys_MovesThroughThePeopleOnlineFirst()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Supervisor);
        var cases = await SetUpAsync(context);
        await AddPersonAsync(context, "ana@example.com", "Ana Lima", 4, Presence.Online);
        var ben = await AddPersonAsync(context, "ben@example.com", "Ben Okafor", 5, Presence.Online);
        var refund = await cases.SubmitRefundAsync(context, 2500);
        var page = context.Render<BoardPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#board-open")));

        await PressAsync(context, page, "j");
        await PressAsync(context, page, "r");
        await page.Find("#reassign-filter").KeyDownAsync(new KeyboardEventArgs { Key = "ArrowDown" });
        Assert.Equal("true", page.Find($"#pick-{ben.Id}").GetAttribute("aria-selected"));
        await page.Find("#reassign-filter").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });

        Assert.Equal(ben.Id, (await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct))!.AssignedTo?.Id);
    }

    [Fact]
    public async Task Reassign_ByDrop_GivesTheCaseToThePersonDroppedOn()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Supervisor);
        var cases = await SetUpAsync(context);
        var ana = await AddPersonAsync(context, "ana@example.com", "Ana Lima", 1, Presence.Away);
        var refund = await cases.SubmitRefundAsync(context, 2500);
        var page = context.Render<BoardPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#board-open")));
        Assert.Equal("true", page.Find($"[data-drag-case='{refund.Id}']").GetAttribute("draggable"));

        await page.Instance.OnDrop(refund.Id, ana.Id);

        Assert.Equal(ana.Id, (await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct))!.AssignedTo?.Id);
        page.WaitForAssertion(() => Assert.Equal("1 of 1", page.Find($"[data-person-id='{ana.Id}'] .load-text").TextContent));
    }

    [Fact]
    public async Task Board_PresenceTurningAway_ShowsWithoutACaseChanging()
    {
        await using var context = await DashboardTestContext.CreateAsync(UserRole.Supervisor);
        await SetUpAsync(context);
        var ana = await AddPersonAsync(context, "ana@example.com", "Ana Lima", 4, Presence.Online);
        var page = context.Render<BoardPage>();
        page.WaitForAssertion(() => Assert.Contains("online", page.Find($"[data-person-id='{ana.Id}']").TextContent, StringComparison.Ordinal));

        // Nobody saw Ana for longer than the away-after (2 minutes); the board's poll reads it.
        context.Time.Advance(TimeSpan.FromMinutes(3));

        page.WaitForAssertion(() => Assert.Contains("away", page.Find($"[data-person-id='{ana.Id}']").TextContent, StringComparison.Ordinal));
    }

    private static async Task<CaseService> SetUpAsync(DashboardTestContext context)
    {
        var cases = await context.AddCaseLoopAsync();
        await context.Store.AddTeamAsync(new Team { WorkspaceId = context.WorkspaceId, Name = "sales", DisplayName = "Sales", Mode = AssignmentMode.Pull }, Actor.System, Ct);
        return cases;
    }

    private static async Task<User> AddPersonAsync(DashboardTestContext context, string email, string name, int capacity, Presence presence)
    {
        var user = (await context.Store.AddUserAsync(new NewUser(context.WorkspaceId, email, name, UserRole.Reviewer, ["sales"], "hash") { Capacity = capacity }, Actor.System, Ct))!;
        await context.Store.SetPresenceAsync(context.WorkspaceId, user.Id, presence, Actor.System, Ct);
        return user;
    }

    private static Actor Person(User user) => new(Actor.UserKind, user.Id, user.Name);

    private static async Task<HandoffCase> AddCaseWithSlaAsync(DashboardTestContext context, string summary, DateTimeOffset createdAt, TimeSpan sla)
    {
        var routing = new RoutingRequirements([], null, HandoffMode.Queue, sla, 0.8, [], TimeSpan.FromMinutes(1), ApprovalRule.Single);
        var c = new HandoffCase
        {
            Id = "cs_" + Guid.NewGuid().ToString("N"),
            WorkspaceId = context.WorkspaceId,
            Content = new CaseContent { Kind = CaseKind.Reply, Summary = summary, Subject = JsonSerializer.SerializeToElement(new { id = "c" }) },
            Evaluation = new Evaluation(Outcome.Review, [], "sales", Priority.Normal, 0.75, 1) { Routing = routing },
            Status = CaseStatus.Pending,
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
        };
        return (await context.Store.CreateCaseAsync(c, Ct)).Case;
    }

    private static async Task PressAsync(DashboardTestContext context, IRenderedComponent<BoardPage> page, string key)
    {
        var attach = context.JSInterop.Invocations["handoff.attach"][^1];
        var keys = (DotNetObjectReference<KeyboardShortcuts>)attach.Arguments[0]!;
        await page.InvokeAsync(() => keys.Value.OnKey(key));
    }
}
