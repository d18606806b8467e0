using Handoff.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>A class of its own, so its server has no accounts at all: the only state in which the setup link works.</summary>
public sealed class SetupLinkTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task SetupLink_OnServerWithNoAccounts_CreatesFirstAdminAndSignsIn()
    {
        var token = await Server.SetupTokenAsync();
        Assert.NotNull(token);
        var browser = await OpenBrowserAsync();
        var page = browser.Page;

        await page.GotoAsync($"/setup?token={token}");
        await page.Locator("#name").FillAsync("Ada Admin");
        await page.Locator("#email").FillAsync("ada@example.com");
        await page.Locator("#password").FillAsync("a long enough password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create admin and sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("header .who")).ToContainTextAsync("Ada Admin");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Policy" })).ToBeVisibleAsync();
        Assert.Null(await Server.SetupTokenAsync());
    }
}
