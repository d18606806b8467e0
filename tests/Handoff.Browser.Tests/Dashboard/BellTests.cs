using Deque.AxeCore.Playwright;
using Handoff.Browser.Tests.Infrastructure;
using Handoff.Core.Notifications;
using Handoff.Server.Notifications;
using Handoff.Storage;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>
/// The bell in the header, in a real browser: notices delivered to the signed-in person (dashboard deliveries sent by
/// the delivery worker) appear in its badge without a reload, are listed with their links, and stay read once read.
/// </summary>
[Collection(OutboxTests.Name)]
public sealed class BellTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task Bell_NoticesDeliveredToThePerson_ShowLiveInTheBadge_AndMarkAllReadHoldsAfterAReload()
    {
        var workspace = await NewWorkspaceAsync();
        var other = await NewWorkspaceAsync();
        var ana = await workspace.AddPersonAsync("Ana Lima", UserRole.Reviewer);
        var ben = await workspace.AddPersonAsync("Ben Okafor", UserRole.Reviewer);
        var refund = await workspace.SubmitPendingAsync(Cases.Refund(2500));
        var legal = await workspace.SubmitPendingAsync(Cases.Legal());
        var unsure = await workspace.SubmitPendingAsync(Cases.Unsure());
        var browser = await SignedInAsync(ana);
        var page = browser.Page;
        await Expect(page.Locator("#bell[data-ready=true]")).ToBeAttachedAsync();
        await Expect(page.Locator("#bell-count")).ToHaveCountAsync(0);

        // Someone else's notice, and one in another workspace that names Ana's id: neither is hers to see.
        await workspace.NoticeAsync(ben, Notice(EventTypes.CaseAssigned, "Taken by Ben Okafor", "Ben's own case", legal, TimeSpan.FromMinutes(3)));
        await workspace.NoticeAsync(ana, Notice(EventTypes.CaseEscalated, "Needs a person", "Another workspace's case", "cs_elsewhere", TimeSpan.FromMinutes(3)), other.Id);
        await workspace.DeliverAsync();
        await workspace.NoticeAsync(ana, Notice(EventTypes.CaseEscalated, "Urgent: needs a person", "Customer threatens a lawsuit over a late delivery", legal, TimeSpan.FromHours(2)));
        await workspace.NoticeAsync(ana, Notice(EventTypes.SlaWarning, "SLA at risk", "Can I change the delivery address?", unsure, TimeSpan.FromMinutes(25)));
        await workspace.DeliverAsync();

        await Expect(page.Locator("#bell-count")).ToHaveTextAsync("2");
        await Expect(page.Locator("#bell-button")).ToHaveAttributeAsync("aria-label", "Notifications, 2 unread");
        await page.Locator("#bell-button").ClickAsync();
        await Expect(page.Locator("#bell-button")).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator("#bell-panel")).ToBeFocusedAsync();
        await Expect(page.Locator("#bell-list li.unread")).ToHaveCountAsync(2);
        // Esc closes the panel, gives focus back to the button, and what it listed counts as read.
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#bell-panel")).ToHaveCountAsync(0);
        await Expect(page.Locator("#bell-button")).ToBeFocusedAsync();
        await Expect(page.Locator("#bell-button")).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(page.Locator("#bell-count")).ToHaveCountAsync(0);

        await workspace.NoticeAsync(ana, Notice(EventTypes.CaseOffered, "Offered to Ana Lima", "Refund 2,500 for a broken espresso machine", refund, TimeSpan.FromSeconds(20)));
        await workspace.DeliverAsync();

        await Expect(page.Locator("#bell-count")).ToHaveTextAsync("1");
        await Expect(page.Locator("#bell-status")).ToHaveTextAsync("New notification: Offered to Ana Lima, Refund 2,500 for a broken espresso machine");
        await page.Locator("#bell-button").ClickAsync();
        var items = page.Locator("#bell-list li");
        await Expect(items).ToHaveCountAsync(3);
        await Expect(items.Nth(0)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bunread\b"));
        await Expect(items.Nth(0)).ToContainTextAsync("Offered to Ana Lima");
        await Expect(items.Nth(0)).ToContainTextAsync("Refund 2,500 for a broken espresso machine");
        await Expect(items.Nth(0).Locator("a")).ToHaveAttributeAsync("href", $"/cases/{refund}");
        await Expect(items.Nth(1)).ToContainTextAsync("SLA at risk");
        await Expect(items.Nth(2)).ToContainTextAsync("Customer threatens a lawsuit over a late delivery");
        await Expect(items.Nth(2).Locator("time")).ToHaveTextAsync("2h ago");
        await Expect(page.Locator("#bell-list li.unread")).ToHaveCountAsync(1);
        await Expect(page.Locator("#bell-panel")).Not.ToContainTextAsync("Ben's own case");
        await Expect(page.Locator("#bell-panel")).Not.ToContainTextAsync("Another workspace's case");
        await Expect(page.Locator("#bell-settings")).ToHaveAttributeAsync("href", "/settings/notifications");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "bell.png") });
        AssertNoSeriousViolations(await page.RunAxe());

        await page.Locator("#bell-read-all").ClickAsync();

        await Expect(page.Locator("#bell-count")).ToHaveCountAsync(0);
        await Expect(page.Locator("#bell-list li.unread")).ToHaveCountAsync(0);
        await browser.OpenAsync("/");
        await Expect(page.Locator("#bell[data-ready=true]")).ToBeAttachedAsync();
        await Expect(page.Locator("#bell-count")).ToHaveCountAsync(0);
        await Expect(page.Locator("#bell")).ToHaveAttributeAsync("data-unread", "0");
    }

    [Fact]
    public async Task Bell_AnotherPersonsNotice_NeverReachesTheirBadge_AndAClickElsewhereCloses()
    {
        var workspace = await NewWorkspaceAsync();
        var ana = await workspace.AddPersonAsync("Ana Lima", UserRole.Reviewer);
        var ben = await workspace.AddPersonAsync("Ben Okafor", UserRole.Reviewer);
        var browsers = await Task.WhenAll(SignedInAsync(ana), SignedInAsync(ben));
        var (anas, bens) = (browsers[0].Page, browsers[1].Page);
        await Expect(anas.Locator("#bell[data-ready=true]")).ToBeAttachedAsync();
        await Expect(bens.Locator("#bell[data-ready=true]")).ToBeAttachedAsync();

        await workspace.NoticeAsync(ben, Notice(EventTypes.CaseAssigned, "Transferred to Ben Okafor", "Charged twice for one order", "cs_ben", TimeSpan.Zero));
        await workspace.DeliverAsync();

        await Expect(bens.Locator("#bell-count")).ToHaveTextAsync("1");
        // A fresh load reads Ana's notices again: Ben's is not among them.
        await browsers[0].OpenAsync("/");
        await Expect(anas.Locator("#bell[data-ready=true]")).ToBeAttachedAsync();
        await anas.Locator("#bell-button").ClickAsync();
        await Expect(anas.Locator("#bell-empty")).ToBeVisibleAsync();
        await Expect(anas.Locator("#bell-count")).ToHaveCountAsync(0);
        await anas.Locator("h1").ClickAsync();
        await Expect(anas.Locator("#bell-panel")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Bell_AtPhoneWidth_OpensInsideTheScreen_WithoutSidewaysScrolling()
    {
        var workspace = await NewWorkspaceAsync();
        var ana = await workspace.AddPersonAsync("Ana Lima", UserRole.Reviewer);
        var browser = await SignedInAsync(ana, width: 390, height: 844);
        var page = browser.Page;
        await workspace.NoticeAsync(ana, Notice(EventTypes.SlaBreached, "SLA breached", "A case whose summary is long enough to need two lines on a phone, and then some more words", "cs_1", TimeSpan.FromMinutes(7)));
        await workspace.DeliverAsync();
        await Expect(page.Locator("#bell-count")).ToHaveTextAsync("1");

        await page.Locator("#bell-button").ClickAsync();

        await Expect(page.Locator("#bell-list li")).ToHaveCountAsync(1);
        var box = await page.Locator("#bell-panel").BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"the panel spans {box.X}..{box.X + box.Width} of 390 px");
        Assert.False(await browser.OverflowsAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "bell-phone.png") });
    }

    private static DashboardNotice Notice(string type, string headline, string title, string caseId, TimeSpan ago) =>
        new(type, headline, title, caseId, $"/cases/{caseId}", TimeProvider.System.GetUtcNow() - ago);

    internal static void AssertNoSeriousViolations(Deque.AxeCore.Commons.AxeResult results)
    {
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join(Environment.NewLine, serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Target))})")));
    }
}
