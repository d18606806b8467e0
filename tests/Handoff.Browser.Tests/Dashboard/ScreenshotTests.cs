using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>Pictures of the main screens for people to look at (artifacts/screenshots), and the phone-width layout.</summary>
public sealed class ScreenshotTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task Screens_AtDesktopWidth_SavedAsArtifacts()
    {
        var workspace = await NewWorkspaceAsync();
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin);
        var ids = await SubmitSomeAsync(workspace);
        var browser = await SignedInAsync(admin, width: 1280);
        var page = browser.Page;

        await Expect(page.Locator("li.case-row")).ToHaveCountAsync(ids.Count);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "inbox.png"), FullPage = true });

        await browser.OpenAsync($"/cases/{ids[0]}");
        await Expect(page.Locator("#case-status")).ToHaveTextAsync("assigned");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "case.png"), FullPage = true });

        await page.GotoAsync("/overview");
        await Expect(page.Locator("#overview-submitted")).ToHaveTextAsync(ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "overview.png"), FullPage = true });

        foreach (var name in new[] { "inbox.png", "case.png", "overview.png" })
        {
            Assert.True(new FileInfo(Path.Combine(Artifacts.Screenshots, name)).Length > 0, name);
        }
    }

    [Fact]
    public async Task InboxAndCase_AtPhoneWidth_DoNotScrollSideways()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer);
        var ids = await SubmitSomeAsync(workspace);
        var browser = await SignedInAsync(reviewer, width: 390, height: 844);
        var page = browser.Page;

        await Expect(page.Locator("li.case-row")).ToHaveCountAsync(ids.Count);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "inbox-phone.png"), FullPage = true });
        Assert.False(await browser.OverflowsAsync(), "the inbox is wider than a 390 px phone");

        await browser.OpenAsync($"/cases/{ids[0]}");
        await Expect(page.Locator("#approve")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "case-phone.png"), FullPage = true });
        Assert.False(await browser.OverflowsAsync(), "the case is wider than a 390 px phone");
    }

    [Fact]
    public async Task Overview_EscalationsBySevenLongRuleNames_KeepsEachLabelInsideItsSlot()
    {
        var workspace = await NewWorkspaceAsync();
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin);
        var rules = new[] { "customer-asked-for-a-person", "medical-or-legal-question", "refund-above-the-limit", "low-confidence-reply", "account-deletion-request", "returning-customer-review", "handed-over-by-agent" };
        await workspace.PublishPolicyAsync("rules:\n" + string.Concat(rules.Select((rule, i) =>
            $"  - {{ id: {rule}, when: {{ facts.rule: {{ eq: {i} }} }}, outcome: review, reason: Rule {i}. }}\n")));
        for (var i = 0; i < rules.Length; i++)
        {
            var body = Cases.Refund();
            body["facts"]!["rule"] = i;
            await workspace.SubmitPendingAsync(body);
        }

        var browser = await SignedInAsync(admin, width: 1280);
        var page = browser.Page;
        await browser.OpenAsync("/overview");
        await Expect(page.Locator("#chart-rules .chart-labels li")).ToHaveCountAsync(rules.Length);
        await page.Locator("#chart-rules").ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "overview-rules.png") });

        // A label wider than its slot spills over its neighbours (they ran together: "low-confidencemedical-legal…").
        var spilling = await page.Locator("#chart-rules .chart-labels li").EvaluateAllAsync<string[]>(
            "items => items.filter(li => li.scrollWidth > li.clientWidth + 1).map(li => li.textContent)");
        Assert.Empty(spilling);
    }

    // A queue that looks like a working morning: a legal escalation, two refunds, an unsure reply.
    private static async Task<IReadOnlyList<string>> SubmitSomeAsync(TestWorkspace workspace) =>
    [
        await workspace.SubmitPendingAsync(Cases.Refund(2500, customer: "Tom Baker", order: "B-1042")),
        await workspace.SubmitPendingAsync(Cases.Legal()),
        await workspace.SubmitPendingAsync(Cases.Refund(1450, customer: "Sarah Jane Smith", order: "B-1043")),
        await workspace.SubmitPendingAsync(Cases.Unsure()),
    ];
}
