using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

public sealed class TwoReviewerTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    private const string CaseDecided = "case.decided";

    [Fact]
    public async Task OpenCase_ClaimedByAnotherReviewer_ShowsWhoAndCannotDecide()
    {
        var (workspace, id, ana, ben) = await TwoReviewersOnOneCaseAsync();
        await Expect(ben.Row(id).Locator(".status")).ToHaveTextAsync("pending");

        await ana.OpenAsync($"/cases/{id}");

        // Ben's inbox hears of the claim without a reload: the case leaves his list, and shows who took it when he
        // asks to see the cases others are working on.
        await Expect(ben.Row(id)).ToHaveCountAsync(0);
        await ben.Page.Locator("#filter-others").CheckAsync();
        await Expect(ben.Row(id).Locator(".status")).ToContainTextAsync("Ana Approver");
        await ben.OpenAsync($"/cases/{id}");
        await Expect(ben.Page.Locator("#case-banner")).ToContainTextAsync("Ana Approver");
        await Expect(ben.Page.Locator("#approve")).ToHaveCountAsync(0);
        // Ben's "a" goes nowhere. A circuit handles one person's keys in order, so once "?" has opened the help, the
        // "a" before it has been handled.
        await ben.Page.Keyboard.PressAsync("a");
        await ben.Page.Keyboard.PressAsync("?");
        await Expect(ben.Page.Locator("#help")).ToBeVisibleAsync();
        Assert.DoesNotContain(await workspace.HistoryAsync(id), e => e.Action == CaseDecided);

        var waiting = workspace.WaitForDecisionAsync(id);
        await ana.Page.Keyboard.PressAsync("a");
        var decision = await waiting;
        Assert.Equal("Ana Approver", decision.GetProperty("decidedBy").GetProperty("name").GetString());
        await Expect(ben.Page.Locator("#case-banner")).ToContainTextAsync("Ana Approver decided this case");
    }

    [Fact]
    public async Task Decide_ByTwoReviewersAtOnce_ExactlyOneWinsAndLoserSeesWinner()
    {
        var (workspace, id, ana, ben) = await TwoReviewersOnOneCaseAsync();

        await Task.WhenAll(ana.OpenAsync($"/cases/{id}"), ben.OpenAsync($"/cases/{id}"));
        var waiting = workspace.WaitForDecisionAsync(id);
        await Task.WhenAll(ana.Page.Keyboard.PressAsync("a"), ben.Page.Keyboard.PressAsync("a"));

        var decision = await waiting;
        var winner = decision.GetProperty("decidedBy").GetProperty("name").GetString();
        Assert.Contains(winner, new[] { "Ana Approver", "Ben Second" });
        var loser = winner == "Ana Approver" ? ben : ana;
        await Expect(loser.Page.Locator("#case-banner")).ToContainTextAsync($"{winner} decided this case");
        Assert.Single(await workspace.HistoryAsync(id), e => e.Action == CaseDecided);
    }

    // Ana and Ben review sales in one workspace; one refund waits for them; both have their inbox open.
    private async Task<(TestWorkspace Workspace, string CaseId, BrowserSession Ana, BrowserSession Ben)> TwoReviewersOnOneCaseAsync()
    {
        var workspace = await NewWorkspaceAsync();
        var ana = await workspace.AddPersonAsync("Ana Approver", UserRole.Reviewer, "sales");
        var ben = await workspace.AddPersonAsync("Ben Second", UserRole.Reviewer, "sales");
        var id = await workspace.SubmitPendingAsync(Cases.Refund(2500));
        var browsers = await Task.WhenAll(SignedInAsync(ana), SignedInAsync(ben));
        return (workspace, id, browsers[0], browsers[1]);
    }
}
