using Deque.AxeCore.Playwright;
using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>axe-core over the screens people use most: no serious or critical violations.</summary>
public sealed class AccessibilityTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task SignInPage_ChecksWithAxe_HasNoSeriousViolations()
    {
        var browser = await OpenBrowserAsync();
        await browser.Page.GotoAsync("/signin");
        await Expect(browser.Page.Locator("#email")).ToBeVisibleAsync();

        await AssertNoSeriousViolationsAsync(browser.Page);
    }

    [Fact]
    public async Task Inbox_ChecksWithAxe_HasNoSeriousViolations()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer);
        await workspace.SubmitPendingAsync(Cases.Refund(2500));
        await workspace.SubmitPendingAsync(Cases.Legal());
        var browser = await SignedInAsync(reviewer);
        await Expect(browser.Page.Locator("li.case-row")).ToHaveCountAsync(2);

        await AssertNoSeriousViolationsAsync(browser.Page);
    }

    [Fact]
    public async Task CasePage_ChecksWithAxe_HasNoSeriousViolations()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer);
        var id = await workspace.SubmitPendingAsync(Cases.Refund(2500));
        var browser = await SignedInAsync(reviewer);
        await browser.OpenAsync($"/cases/{id}");
        await Expect(browser.Page.Locator("#approve")).ToBeVisibleAsync();

        await AssertNoSeriousViolationsAsync(browser.Page);
    }

    private static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join(Environment.NewLine, serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }
}
