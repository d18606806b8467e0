using Deque.AxeCore.Playwright;
using Handoff.Browser.Tests.Infrastructure;
using Handoff.Core.Routing;
using Handoff.Storage;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>The presence switch in the header and the admin's Teams page, in a real browser.</summary>
public sealed class TeamsAndPresenceTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task PresenceSwitch_AfterSigningInIsOnline_AndAwayIsStoredAtOnce()
    {
        var workspace = await NewWorkspaceAsync();
        var rita = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer);
        var browser = await SignedInAsync(rita);
        var page = browser.Page;
        await Expect(page.Locator("#presence-online")).ToHaveAttributeAsync("aria-pressed", "true");

        await page.Locator("#presence-away").ClickAsync();

        await Expect(page.Locator("#presence-switch")).ToHaveAttributeAsync("data-presence", "away");
        Assert.Equal(Presence.Away, (await workspace.PresenceAsync(rita)).Chosen);
    }

    [Fact]
    public async Task TeamsPage_WithTeamsAndMembers_ChecksWithAxeAndIsSavedAsAScreenshot()
    {
        var workspace = await NewWorkspaceAsync();
        await workspace.AddTeamAsync(new Team { WorkspaceId = "", Name = "tier-2", DisplayName = "Tier 2", Mode = AssignmentMode.Pull });
        await workspace.AddTeamAsync(new Team
        {
            WorkspaceId = "",
            Name = "billing",
            DisplayName = "Billing (EU)",
            AcceptTimeout = TimeSpan.FromSeconds(45),
            OverflowTeam = "tier-2",
            WorkingHours = new WorkingHours(
                "Europe/Berlin",
                [.. Enumerable.Range(1, 5).Select(d => new WeeklyHours((DayOfWeek)d, new TimeOnly(9, 0), new TimeOnly(17, 0)))],
                [new DateOnly(2026, 12, 25)]),
        });
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin);
        var ana = await workspace.AddPersonAsync("Ana Lima", UserRole.Reviewer, "billing");
        await workspace.SetProfileAsync(ana, new UserChanges { Skills = ["refunds", "chargebacks"], Languages = ["en", "pt-br"], Capacity = 4 });
        var browser = await SignedInAsync(admin, width: 1280);
        var page = browser.Page;

        await browser.OpenAsync("/admin/teams");
        await Expect(page.Locator("#teams tr[data-team=billing]")).ToContainTextAsync("Ana Lima (refunds, chargebacks · en, pt-br · capacity 4)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "teams.png"), FullPage = true });
        var results = await page.RunAxe();

        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join(Environment.NewLine, serious.Select(v => $"{v.Impact} {v.Id}: {v.Help}")));
        Assert.True(new FileInfo(Path.Combine(Artifacts.Screenshots, "teams.png")).Length > 0);
    }
}
