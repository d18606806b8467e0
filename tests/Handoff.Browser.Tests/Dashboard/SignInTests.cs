using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

public sealed class SignInTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task SignIn_WithRightPassword_ShowsInboxAndName()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer, "sales");
        var browser = await OpenBrowserAsync();

        await browser.SignInAsync(reviewer);

        await Expect(browser.Page.Locator("header .who")).ToContainTextAsync("Rita Reviewer");
        await Expect(browser.Page.Locator(".empty")).ToContainTextAsync("Nothing waiting");
    }

    [Fact]
    public async Task SignIn_WithWrongPassword_ShowsErrorAndStaysOut()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Walt Wrong", UserRole.Reviewer);
        var browser = await OpenBrowserAsync();

        await browser.SubmitSignInAsync(reviewer.Email, "not the password at all");

        await Expect(browser.Page.Locator("#signin-error")).ToContainTextAsync("Wrong email or password.");
        await browser.Page.GotoAsync("/");
        await Expect(browser.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
    }
}
