using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

public sealed class InboxTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task Inbox_CasePostedThroughApi_AppearsWithoutReload()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer, "sales");
        var browser = await SignedInAsync(reviewer);
        await Expect(browser.Page.Locator(".empty")).ToBeVisibleAsync();
        var documentBefore = await browser.Page.EvaluateAsync<double>("() => performance.timeOrigin");

        var id = await workspace.SubmitPendingAsync(Cases.Refund(2500, customer: "Tom Baker"));

        var row = browser.Row(id);
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Refund 2,500");
        await Expect(row).ToContainTextAsync("Tom Baker");
        await Expect(row.Locator(".chip")).ToContainTextAsync("high-value");
        Assert.Equal(documentBefore, await browser.Page.EvaluateAsync<double>("() => performance.timeOrigin"));
    }
}
