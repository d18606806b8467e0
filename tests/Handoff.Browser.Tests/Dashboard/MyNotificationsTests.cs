using Deque.AxeCore.Playwright;
using Handoff.Browser.Tests.Infrastructure;
using Handoff.Core.Notifications;
using Handoff.Storage;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>"My notifications" (<c>/settings/notifications</c>) in a real browser, saving into the real store.</summary>
public sealed class MyNotificationsTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task MyNotifications_QuietHoursAndDigestSaved_ShowAfterAReload_AndAreStoredAsThePersonsOwnChange()
    {
        var workspace = await NewWorkspaceAsync();
        var ana = await workspace.AddPersonAsync("Ana Lima", UserRole.Reviewer);
        var browser = await SignedInAsync(ana, timeZone: "America/New_York");
        var page = browser.Page;

        // Reached from the bell's panel.
        await page.Locator("#bell-button").ClickAsync();
        await page.Locator("#bell-settings").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings/notifications$"));
        await browser.UntilLiveAsync();
        // Never chosen: the browser's zone, said to be so.
        await Expect(page.Locator("#pref-zone")).ToHaveValueAsync("America/New_York");
        await Expect(page.Locator("#pref-zone-browser")).ToBeVisibleAsync();
        await Expect(page.Locator("#pref-email")).ToBeCheckedAsync();

        await page.Locator("#pref-zone").SelectOptionAsync("Europe/Berlin");
        await page.Locator("#pref-quiet").CheckAsync();
        await page.Locator("#pref-quiet-from").FillAsync("21:00");
        await page.Locator("#pref-quiet-to").FillAsync("07:30");
        await Expect(page.Locator("#pref-quiet-summary")).ToHaveTextAsync("E-mails between 21:00 and 07:30 (overnight) go out at 07:30.");
        await page.Locator("#pref-digest").CheckAsync();
        await page.Locator("#pref-digest-at").FillAsync("07:45");
        await page.Locator("#pref-save").ClickAsync();

        await Expect(page.Locator("#pref-status")).ToHaveTextAsync("Saved.");
        var stored = (await workspace.UserAsync(ana)).Notifications;
        Assert.Equal(
            new NotificationPreferences { Email = true, TimeZone = "Europe/Berlin", QuietHours = new QuietHours(new(21, 0), new(7, 30)), Digest = true, DigestAt = new(7, 45) },
            stored);
        var user = await workspace.UserAsync(ana);
        var changed = (await Server.Store.ReadAuditAsync(0, 100_000, TestContext.Current.CancellationToken))
            .Last(e => e.Action == "user.changed" && e.Subject == user.Id);
        Assert.Equal((user.Id, "user"), (changed.ActorId, changed.ActorKind));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "my-notifications.png"), FullPage = true });
        BellTests.AssertNoSeriousViolations(await page.RunAxe());

        await browser.OpenAsync("/settings/notifications");

        await Expect(page.Locator("#pref-zone")).ToHaveValueAsync("Europe/Berlin");
        await Expect(page.Locator("#pref-zone-browser")).ToHaveCountAsync(0);
        await Expect(page.Locator("#pref-quiet")).ToBeCheckedAsync();
        await Expect(page.Locator("#pref-quiet-from")).ToHaveValueAsync("21:00");
        await Expect(page.Locator("#pref-quiet-to")).ToHaveValueAsync("07:30");
        await Expect(page.Locator("#pref-digest")).ToBeCheckedAsync();
        await Expect(page.Locator("#pref-digest-at")).ToHaveValueAsync("07:45");
    }

    [Fact]
    public async Task MyNotifications_QuietHoursEndingWhenTheyStart_SaysSoBesideTheField_AndSavesNothing()
    {
        var workspace = await NewWorkspaceAsync();
        var ana = await workspace.AddPersonAsync("Ana Lima", UserRole.Reviewer);
        var browser = await SignedInAsync(ana);
        var page = browser.Page;
        await browser.OpenAsync("/settings/notifications");

        await page.Locator("#pref-email").UncheckAsync();
        await page.Locator("#pref-quiet").CheckAsync();
        await page.Locator("#pref-quiet-from").FillAsync("22:00");
        await page.Locator("#pref-quiet-to").FillAsync("22:00");
        await page.Locator("#pref-save").ClickAsync();

        await Expect(page.Locator("#pref-status")).ToHaveTextAsync("Nothing was saved: one field needs a look.");
        var error = page.Locator("#pref-quietTo-error");
        await Expect(error).ToHaveTextAsync("Quiet hours must end at another time than they start.");
        await Expect(page.Locator("#pref-quiet-to")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#pref-quiet-to")).ToHaveAttributeAsync("aria-describedby", "pref-quietTo-error");
        // Beside the field: in the same cell, right under it.
        Assert.Equal(1, await page.Locator("#pref-quiet-to ~ #pref-quietTo-error").CountAsync());
        var user = await workspace.UserAsync(ana);
        Assert.Null(user.Notifications);
        Assert.DoesNotContain(await Server.Store.ReadAuditAsync(0, 100_000, TestContext.Current.CancellationToken),
            e => e.Action == "user.changed" && e.Subject == user.Id);

        await page.Locator("#pref-quiet-to").FillAsync("06:00");
        await page.Locator("#pref-save").ClickAsync();

        await Expect(page.Locator("#pref-status")).ToHaveTextAsync("Saved.");
        await Expect(error).ToHaveCountAsync(0);
        var stored = (await workspace.UserAsync(ana)).Notifications;
        Assert.Equal((false, new QuietHours(new(22, 0), new(6, 0))), (stored!.Email, stored.QuietHours));
    }

    [Fact]
    public async Task MyNotifications_AZoneThisServerDoesNotKnow_IsNamedBesideTheSelect_AndNothingIsSaved()
    {
        var workspace = await NewWorkspaceAsync();
        var ana = await workspace.AddPersonAsync("Ana Lima", UserRole.Reviewer);
        // As another node (or the API) might have stored it, from a newer time zone database than this server's.
        var unknown = new NotificationPreferences { TimeZone = "Mars/Olympus_Mons" };
        await workspace.SetProfileAsync(ana, new UserChanges { Notifications = unknown });
        var browser = await SignedInAsync(ana);
        var page = browser.Page;
        await browser.OpenAsync("/settings/notifications");
        await Expect(page.Locator("#pref-zone")).ToHaveValueAsync("Mars/Olympus_Mons");

        await page.Locator("#pref-digest").CheckAsync();
        await page.Locator("#pref-save").ClickAsync();

        await Expect(page.Locator("#pref-timeZone-error")).ToHaveTextAsync("“Mars/Olympus_Mons” is not a time zone this server knows: choose one from the list.");
        await Expect(page.Locator("#pref-zone")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(unknown, (await workspace.UserAsync(ana)).Notifications);
    }

    [Fact]
    public async Task MyNotifications_AtPhoneWidth_HasNoSidewaysScrolling()
    {
        var workspace = await NewWorkspaceAsync();
        var ana = await workspace.AddPersonAsync("Ana Lima", UserRole.Reviewer);
        var browser = await SignedInAsync(ana, width: 390, height: 844);
        var page = browser.Page;
        await browser.OpenAsync("/settings/notifications");
        await page.Locator("#pref-quiet").CheckAsync();
        await page.Locator("#pref-digest").CheckAsync();
        await Expect(page.Locator("#pref-digest-at")).ToBeVisibleAsync();

        Assert.False(await browser.OverflowsAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "my-notifications-phone.png"), FullPage = true });
    }
}
