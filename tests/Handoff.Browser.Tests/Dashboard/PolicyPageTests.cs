using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

public sealed class PolicyPageTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    // "greater" is no operator (gt is): the problem is on line 5, where it is used.
    private const string PolicyWithUnknownOperator = """
        rules:
          - id: big-refund
            when:
              facts.amount:
                greater: 1000
            outcome: review
            reason: Big refunds need a person.
        """;

    [Fact]
    public async Task Policy_WithUnknownOperator_ShowsProblemOnItsLine()
    {
        var workspace = await NewWorkspaceAsync();
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin);
        var browser = await SignedInAsync(admin);
        var page = browser.Page;

        // Through the menu, over the live circuit: the editor is interactive as soon as it shows.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Policy" }).ClickAsync();
        var editor = page.Locator("#policy-source");
        await Expect(editor).ToBeVisibleAsync();
        await Expect(page.Locator("#policy-problems li")).ToHaveCountAsync(0);
        await editor.FillAsync(PolicyWithUnknownOperator);

        var problem = page.Locator("#policy-problems li");
        await Expect(problem).ToHaveCountAsync(1);
        await Expect(problem).ToHaveAttributeAsync("data-line", "5");
        await Expect(problem).ToContainTextAsync("line 5");
        await Expect(problem).ToContainTextAsync("greater");
        await Expect(page.Locator("#publish-policy")).ToBeDisabledAsync();
    }
}
