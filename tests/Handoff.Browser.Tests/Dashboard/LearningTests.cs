using Deque.AxeCore.Playwright;
using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>What learning shows people in a real browser: similar cases beside a case, and the agreement page.</summary>
public sealed class LearningTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task ACaseLikeOneJustDecided_ShowsHowItWent_AndTheAgreementPageCountsIt()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer, "sales");
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin, "sales");
        var first = await workspace.SubmitPendingAsync(Cases.Refund(2500, customer: "Tom Baker"));
        var second = await workspace.SubmitPendingAsync(Cases.Refund(1450, customer: "Lea Park"));
        var browser = await SignedInAsync(reviewer, width: 1280);
        var page = browser.Page;
        await browser.OpenAsync($"/cases/{first}");
        await Expect(page.Locator("#precedents-none")).ToBeVisibleAsync();
        await Expect(page.Locator("#approve")).ToBeEnabledAsync();

        await page.Keyboard.PressAsync("a");

        // The next case opens, and beside it the one just decided, as its precedent.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/cases/{second}$"));
        var precedent = page.Locator("#precedents li").First;
        await Expect(precedent.Locator("a")).ToHaveAttributeAsync("href", $"/cases/{first}");
        await Expect(precedent.Locator(".chip.verdict")).ToHaveTextAsync("approve");
        await Expect(precedent).ToContainTextAsync("Rita Reviewer");
        await Expect(precedent).ToContainTextAsync("same action");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "case-precedents.png"), FullPage = true });

        var supervisor = await SignedInAsync(admin, width: 1280);
        await supervisor.OpenAsync("/learning");
        var row = supervisor.Page.Locator("#agreement tbody tr").First;
        await Expect(row).ToHaveAttributeAsync("data-key", "high-value");
        await Expect(row.Locator(".rate")).ToHaveTextAsync("100%");
        await supervisor.Page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "agreement.png"), FullPage = true });
        BellTests.AssertNoSeriousViolations(await supervisor.Page.RunAxe());

        await supervisor.Page.Locator("#agreement-by").SelectOptionAsync("Action");

        await Expect(supervisor.Page.Locator("#agreement tbody tr").First).ToHaveAttributeAsync("data-key", "issue_refund");
    }

    [Fact]
    public async Task Replay_OnThePolicyPage_ShowsWhatACandidateWouldChange()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer, "sales");
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin, "sales");
        var first = await workspace.SubmitPendingAsync(Cases.Refund(1500, customer: "Tom Baker"));
        await workspace.SubmitPendingAsync(Cases.Refund(1200, customer: "Lea Park"));
        var browser = await SignedInAsync(reviewer, width: 1280);
        await browser.OpenAsync($"/cases/{first}");
        await Expect(browser.Page.Locator("#approve")).ToBeEnabledAsync();
        await browser.Page.Keyboard.PressAsync("a");
        await Expect(browser.Page.Locator("#precedents li")).ToHaveCountAsync(1);

        var supervisor = await SignedInAsync(admin, width: 1280);
        var page = supervisor.Page;
        await supervisor.OpenAsync("/admin/policy");
        await Expect(page.Locator("#policy-source")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("rules:"));
        await page.Locator("#policy-source").FillAsync(Core.Policy.BuiltInPolicy.Yaml.Replace("gt: 1000", "gt: 2000", StringComparison.Ordinal));
        await page.Locator("#replay-run").ClickAsync();

        await Expect(page.Locator("#replay-summary")).ToContainTextAsync("2 of 2 cases would change.");
        await Expect(page.Locator("#replay-workload tr[data-team=sales]")).ToContainTextAsync("-2");
        await page.Locator("#replay-title").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "policy-replay.png") });
    }
}
