using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>
/// Desktop notifications for offers, in a real Chromium. Headless Chromium never hides a page, so the page is made to
/// report hidden (<c>document.visibilityState</c>) by a script run before the dashboard's own; the browser's
/// <c>Notification</c> is wrapped to record what the dashboard shows, and still shows it.
/// </summary>
public sealed class DesktopNotificationTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    // Before any of the page's scripts: a switch for visibility, and a record of notifications, permission prompts
    // (with whether a user's gesture was active) and focus calls.
    private const string Recorder = """
        (() => {
            let hidden = false;
            Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get() { return hidden ? 'hidden' : 'visible'; } });
            Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get() { return hidden; } });
            window.__setHidden = value => { hidden = value; document.dispatchEvent(new Event('visibilitychange')); };
            window.__attempts = [];
            window.__notifications = [];
            window.__asked = [];
            window.__focused = 0;
            const Real = window.Notification;
            class Recording extends Real {
                constructor(title, options) {
                    window.__attempts.push(title);
                    super(title, options);
                    this.__closed = false;
                    window.__notifications.push({ title, body: options && options.body, tag: options && options.tag, shown: this });
                }
                close() {
                    this.__closed = true;
                    super.close();
                }
            }
            window.Notification = Recording;
            const focus = window.focus;
            window.focus = function () { window.__focused++; return focus.apply(this, arguments); };
        })();
        """;

    // The browser's prompt, answered "allow" by the person: recorded, with whether it came from a gesture.
    private const string AllowingPrompt = """
        (() => {
            let permission = 'default';
            Object.defineProperty(Notification, 'permission', { configurable: true, get() { return permission; } });
            Notification.requestPermission = () => {
                window.__asked.push(navigator.userActivation ? navigator.userActivation.isActive : null);
                permission = 'granted';
                return Promise.resolve(permission);
            };
        })();
        """;

    [Fact]
    public async Task Offer_RingingWhileThePageIsHidden_ShowsADesktopNotification_WhoseClickFocusesTheTab()
    {
        var workspace = await NewWorkspaceAsync();
        await workspace.AddTeamAsync(new Team { WorkspaceId = "", Name = "billing", DisplayName = "Billing", AcceptTimeout = TimeSpan.FromMinutes(2) });
        await workspace.PublishPolicyAsync("""
            defaults: { team: billing, mode: queue }
            rules:
              - id: refunds
                when: { facts.amount: { gt: 1000 } }
                outcome: review
                reason: Refunds above 1,000 need a person.
            """);
        var ana = await workspace.AddPersonAsync("Ana Approver", UserRole.Reviewer, "billing");
        var browser = await OpenBrowserAsync();
        var page = browser.Page;
        await page.Context.GrantPermissionsAsync(["notifications"]);
        await page.Context.AddInitScriptAsync(Recorder);
        await browser.SignInAsync(ana);

        // In front of the person the toast is enough: nothing on the desktop.
        var first = await workspace.SubmitPendingAsync(Cases.Refund(2500));
        await Expect(page.Locator($"#offer[data-case='{first}']")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("n");
        await Expect(page.Locator("#offer")).ToHaveCountAsync(0);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.__attempts.length"));

        await page.EvaluateAsync("() => window.__setHidden(true)");
        var second = await workspace.SubmitPendingAsync(Cases.Refund(1450, "Ada Byron", "B-2001"));

        await Expect(page.Locator($"#offer[data-case='{second}']")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => window.__attempts.length > 0");
        Assert.Equal(["New case for you: Refund 1,450 for a broken espresso machine"], await page.EvaluateAsync<string[]>("() => window.__attempts"));
        // Constructed without throwing: headless Chromium, with the permission granted, shows it.
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.__notifications.length"));
        Assert.Equal("Ada Byron · team billing · normal priority", await page.EvaluateAsync<string>("() => window.__notifications[0].body"));
        Assert.Equal($"offer-{second}", await page.EvaluateAsync<string>("() => window.__notifications[0].tag"));

        await page.EvaluateAsync("() => window.__notifications[0].shown.onclick()");

        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.__focused"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__notifications[0].shown.__closed"));
        // The toast and its keys are as they were.
        await page.EvaluateAsync("() => window.__setHidden(false)");
        await page.Keyboard.PressAsync("y");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/cases/{second}$"));
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.__attempts.length"));
    }

    [Fact]
    public async Task EnableDesktopNotifications_IsAskedOnlyFromTheButton_AndBothControlsFollowTheAnswer()
    {
        var workspace = await NewWorkspaceAsync();
        var ana = await workspace.AddPersonAsync("Ana Lima", UserRole.Reviewer);
        var browser = await OpenBrowserAsync();
        var page = browser.Page;
        await page.Context.AddInitScriptAsync(Recorder);
        await page.Context.AddInitScriptAsync(AllowingPrompt);
        await browser.SignInAsync(ana);
        await browser.OpenAsync("/settings/notifications");
        await page.Locator("#bell-button").ClickAsync();
        await Expect(page.Locator("#settings-desktop")).ToHaveAttributeAsync("data-permission", "default");
        await Expect(page.Locator("#bell-desktop")).ToHaveAttributeAsync("data-permission", "default");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.__asked.length"));

        await page.Locator("#bell-desktop-enable").ClickAsync();

        await Expect(page.Locator("#bell-desktop")).ToHaveAttributeAsync("data-permission", "granted");
        await Expect(page.Locator("#settings-desktop")).ToContainTextAsync("Desktop notifications are on in this browser.");
        Assert.Equal([true], await page.EvaluateAsync<bool?[]>("() => window.__asked"));
    }
}
