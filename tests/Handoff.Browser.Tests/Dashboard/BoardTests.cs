using System.Text.Json;
using Deque.AxeCore.Playwright;
using Handoff.Browser.Tests.Infrastructure;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Routing;
using Handoff.Storage;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>The supervisor's live board in a real browser: seeded people, teams and cases; a case reassigned by key.</summary>
public sealed class BoardTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task Board_ChecksWithAxe_AndReassignByKeyGivesTheSelectedCaseToThePersonTyped_SavedAsScreenshots()
    {
        var workspace = await NewWorkspaceAsync();
        await workspace.AddTeamAsync(new Team { WorkspaceId = "", Name = "sales", DisplayName = "Sales", Mode = AssignmentMode.Push, AcceptTimeout = Ringing });
        await workspace.AddTeamAsync(new Team { WorkspaceId = "", Name = "support", DisplayName = "Support", Mode = AssignmentMode.Pull, AcceptTimeout = Ringing });
        await workspace.AddTeamAsync(new Team { WorkspaceId = "", Name = "specialists", DisplayName = "Specialists", Mode = AssignmentMode.Push, AcceptTimeout = Ringing });
        // Queued follow-ups, not live conversations: under the default mode (either) a case submitted while someone of
        // its team is online would ring live and weigh a live conversation.
        var queued = BuiltInPolicy.Yaml.Replace("\n  team: support\n", "\n  team: support\n  mode: queue\n", StringComparison.Ordinal);
        Assert.NotEqual(BuiltInPolicy.Yaml, queued);
        await workspace.PublishPolicyAsync(queued);
        var lead = await workspace.AddPersonAsync("Lee Lead", UserRole.Supervisor);
        var ana = await AddAsync(workspace, "Ana Lima", 4, Presence.Online, "sales");
        var ben = await AddAsync(workspace, "Ben Okafor", 3, Presence.Online, "sales", "support");
        var chloe = await AddAsync(workspace, "Chloe Martin", 5, Presence.Away, "specialists");
        await AddAsync(workspace, "Dev Patel", 5, Presence.Offline, "support");

        var store = Server.Store;
        var now = TimeProvider.System.GetUtcNow();
        var held = await workspace.SubmitPendingAsync(Cases.Refund(2500, "Tom Baker", "B-1042"));
        await store.ClaimCaseAsync(workspace.Id, held, ana, now, CancellationToken.None);
        var heldToo = await workspace.SubmitPendingAsync(Cases.Unsure("Fox Mulder"));
        await store.ClaimCaseAsync(workspace.Id, heldToo, ana, now, CancellationToken.None);
        var ringing = await workspace.SubmitPendingAsync(Cases.Refund(1450, "Gina Torres", "B-2001"));
        await store.OfferCaseAsync(workspace.Id, ringing, ben, now, TimeSpan.FromMinutes(5), CancellationToken.None);
        var legal = await workspace.SubmitPendingAsync(Cases.Legal("Dana Scully"));
        await store.ClaimCaseAsync(workspace.Id, legal, chloe, now, CancellationToken.None);
        var dragged = await workspace.SubmitPendingAsync(Cases.Refund(1800, "Rosa Diaz", "B-3003"));
        await workspace.SubmitPendingAsync(Cases.Unsure("Walter Bishop"));
        var overdue = await AddWithSlaAsync(workspace.Id, "Charged twice for one order", "support", now.AddMinutes(-70), TimeSpan.FromHours(1));
        await AddWithSlaAsync(workspace.Id, "Where is my parcel?", "sales", now.AddMinutes(-52), TimeSpan.FromHours(1));
        var browser = await SignedInAsync(lead, width: 1280, height: 1000);
        var page = browser.Page;

        await browser.OpenAsync("/board");
        await Expect(page.Locator($"#board-people [data-person-id='{ana.Id}'] .load-text")).ToHaveTextAsync("2 of 4");
        await Expect(page.Locator("#board-at-risk li").First).ToContainTextAsync("overdue by");
        await Expect(page.Locator("#board-offers")).ToContainTextAsync("Ben Okafor");
        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join(Environment.NewLine, serious.Select(v => $"{v.Impact} {v.Id}: {v.Help}")));

        await page.Keyboard.PressAsync("j");
        var selected = page.Locator("#board-open li.selected");
        await Expect(selected).ToHaveCountAsync(1);
        var caseId = await selected.GetAttributeAsync("data-case-id");
        await page.Keyboard.PressAsync("r");
        await Expect(page.Locator("#reassign-filter")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("ben");
        await Expect(page.Locator($"#pick-{ben.Id}")).ToHaveAttributeAsync("aria-selected", "true");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "board-reassign.png") });
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#board-message")).ToContainTextAsync("to Ben Okafor");
        Assert.Equal(ben.Id, (await store.GetCaseAsync(workspace.Id, caseId!, CancellationToken.None))!.AssignedTo?.Id);
        await Expect(page.Locator($"#board-people [data-person-id='{ben.Id}'] .held")).ToContainTextAsync(
            (await store.GetCaseAsync(workspace.Id, caseId!, CancellationToken.None))!.Content.Summary!);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "board.png"), FullPage = true });
        Assert.False(await browser.OverflowsAsync());
        _ = overdue;

        // And by drag: the 1,800 refund dropped onto Chloe's card is hers.
        // A drag that has to scroll the page on the way is lost (HTML5 drag and drop): source and target both in view.
        await page.SetViewportSizeAsync(1280, 2400);
        await page.Locator($"#board-open [data-drag-case='{dragged}']").DragToAsync(page.Locator($"#board-people [data-person-id='{chloe.Id}']"));
        await Expect(page.Locator($"#board-people [data-person-id='{chloe.Id}'] .held")).ToContainTextAsync("Refund 1,800");
        Assert.Equal(chloe.Id, (await store.GetCaseAsync(workspace.Id, dragged, CancellationToken.None))!.AssignedTo?.Id);
    }

    // Offers the router makes while the test runs ring until it ends: a lapse would re-render the board under a drag.
    private static readonly TimeSpan Ringing = TimeSpan.FromMinutes(10);

    private async Task<Actor> AddAsync(TestWorkspace workspace, string name, int capacity, Presence presence, params string[] teams)
    {
        var person = await workspace.AddPersonAsync(name, UserRole.Reviewer, teams);
        await workspace.SetProfileAsync(person, new UserChanges { Capacity = capacity });
        var user = (await Server.Store.FindUserByEmailAsync(person.Email, CancellationToken.None))!;
        await Server.Store.SetPresenceAsync(workspace.Id, user.Id, presence, Actor.Cli("browser tests"), CancellationToken.None);
        return new Actor(Actor.UserKind, user.Id, user.Name);
    }

    private async Task<string> AddWithSlaAsync(string workspaceId, string summary, string team, DateTimeOffset createdAt, TimeSpan sla)
    {
        var routing = new RoutingRequirements([], null, HandoffMode.Queue, sla, 0.8, [], TimeSpan.FromMinutes(1), ApprovalRule.Single);
        var c = new HandoffCase
        {
            Id = "cs_" + Guid.CreateVersion7(createdAt).ToString("N"),
            WorkspaceId = workspaceId,
            Content = new CaseContent { Kind = CaseKind.Reply, Summary = summary, Subject = JsonSerializer.SerializeToElement(new { id = "c-sla", name = "Sam Lowry" }) },
            Evaluation = new Evaluation(Outcome.Review, [new Reason("sla", "Waits at most an hour", Outcome.Review)], team, Priority.Normal, 0.75, 1) { Routing = routing },
            Status = CaseStatus.Pending,
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
            ExpiresAt = createdAt.AddHours(4),
        };
        return (await Server.Store.CreateCaseAsync(c, CancellationToken.None)).Case.Id;
    }
}
