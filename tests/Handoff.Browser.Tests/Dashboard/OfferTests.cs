using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>
/// Push routing in real browsers: a case for a push team rings in one reviewer's dashboard (toast with countdown), is
/// declined with a key, rings in the second reviewer's and is accepted with a key, which opens it.
/// </summary>
public sealed class OfferTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task Offer_DeclinedByTheFirstReviewer_RingsForTheSecond_WhoAcceptsWithAKey()
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
        var ben = await workspace.AddPersonAsync("Ben Second", UserRole.Reviewer, "billing");
        var browsers = await Task.WhenAll(SignedInAsync(ana), SignedInAsync(ben));

        var id = await workspace.SubmitPendingAsync(Cases.Refund(2500));

        // Equally loaded and idle, either may ring first: the one whose dashboard shows the offer declines it.
        var first = await RingingAsync(browsers, id);
        var second = first == browsers[0] ? browsers[1] : browsers[0];
        await Expect(first.Page.Locator("#offer")).ToContainTextAsync("Refund 2,500 for a broken espresso machine");
        await Expect(first.Page.Locator("#offer-countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ s$"));
        await first.Page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "offer.png") });
        await Expect(second.Page.Locator("#offer")).ToHaveCountAsync(0);
        await first.Page.Keyboard.PressAsync("n");

        await Expect(first.Page.Locator("#offer")).ToHaveCountAsync(0);
        await Expect(second.Page.Locator($"#offer[data-case='{id}']")).ToBeVisibleAsync();
        await second.Page.Keyboard.PressAsync("y");

        // The case page may open before a wait for navigation starts (a pushState): check the address itself.
        await Expect(second.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/cases/{id}$"));
        await Expect(second.Page.Locator("#case-status")).ToHaveTextAsync("assigned");
        var history = await workspace.HistoryAsync(id);
        Assert.Equal(["case.created", "case.offered", "case.declined", "case.offered", "case.accepted"], history.Select(static e => e.Action));
    }

    private static async Task<BrowserSession> RingingAsync(BrowserSession[] browsers, string id)
    {
        for (var i = 0; i < 300; i++)
        {
            foreach (var browser in browsers)
            {
                if (await browser.Page.Locator($"#offer[data-case='{id}']").IsVisibleAsync())
                {
                    return browser;
                }
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail("the offer rang in no dashboard");
        return null!;
    }
}
