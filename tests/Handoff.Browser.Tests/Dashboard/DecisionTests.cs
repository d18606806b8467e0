using System.Net.Http.Json;
using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

public sealed class DecisionTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task Approve_WithKeyA_ReachesLongPollingAgent()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer, "sales");
        var id = await workspace.SubmitPendingAsync(Cases.Refund(2500));
        var browser = await SignedInAsync(reviewer);
        await browser.OpenAsync($"/cases/{id}");
        await Expect(browser.Page.Locator("#approve")).ToBeEnabledAsync();

        var waiting = workspace.WaitForDecisionAsync(id);
        await Server.UntilSomeoneWaitsOnAsync(id);
        await browser.Page.Keyboard.PressAsync("a");

        var decision = await waiting;
        Assert.Equal("approve", decision.GetProperty("verdict").GetString());
        Assert.Equal("user", decision.GetProperty("decidedBy").GetProperty("kind").GetString());
        Assert.Equal("Rita Reviewer", decision.GetProperty("decidedBy").GetProperty("name").GetString());
        Assert.Equal(2500, decision.GetProperty("result").GetProperty("action").GetProperty("arguments").GetProperty("amount").GetInt32());
        // With nothing else waiting, the next case to open is none: the page goes back to the inbox.
        await Expect(browser.Page.Locator(".empty")).ToContainTextAsync("Nothing waiting");
    }

    [Fact]
    public async Task Edit_ChangedArgument_ShowsDiffAndReachesAgentAsEdited()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Eddie Editor", UserRole.Reviewer, "sales");
        var id = await workspace.SubmitPendingAsync(Cases.Refund(2500, order: "B-77"));
        var browser = await SignedInAsync(reviewer);
        await browser.OpenAsync($"/cases/{id}");
        var page = browser.Page;

        await page.Keyboard.PressAsync("e");
        var amount = page.Locator("#arg-amount");
        await Expect(amount).ToHaveValueAsync("2500");
        await amount.FillAsync("1800");
        var diff = page.Locator("#edit-diff li");
        await Expect(diff).ToHaveCountAsync(1);
        await Expect(diff).ToContainTextAsync("amount");
        await Expect(diff.Locator("del")).ToHaveTextAsync("2500");
        await Expect(diff.Locator("ins")).ToHaveTextAsync("1800");
        var waiting = workspace.WaitForDecisionAsync(id);
        await Server.UntilSomeoneWaitsOnAsync(id);
        await page.Locator("#approve-edit").ClickAsync();

        var decision = await waiting;
        Assert.Equal("edit", decision.GetProperty("verdict").GetString());
        Assert.Equal("Eddie Editor", decision.GetProperty("decidedBy").GetProperty("name").GetString());
        var arguments = decision.GetProperty("result").GetProperty("action").GetProperty("arguments");
        Assert.Equal(1800, arguments.GetProperty("amount").GetInt32());
        Assert.Equal("B-77", arguments.GetProperty("orderId").GetString());
    }

    [Fact]
    public async Task Approve_WithKeyA_TellsWhatWentToWhichAgentOnTheNextCase()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Nora Notice", UserRole.Reviewer, "sales");
        var first = await workspace.SubmitPendingAsync(Cases.Refund(2500, customer: "Tom Baker"));
        var second = await workspace.SubmitPendingAsync(Cases.Refund(1450, customer: "Lea Park"));
        var browser = await SignedInAsync(reviewer, width: 1280);
        var page = browser.Page;
        await browser.OpenAsync($"/cases/{first}");
        await Expect(page.Locator("#approve")).ToBeEnabledAsync();

        await page.Keyboard.PressAsync("a");

        // The next case opened, and the notice of the one just decided came with it.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/cases/{second}$"));
        await Expect(page.Locator("#case-status")).ToHaveTextAsync("assigned");
        var notice = page.Locator("#decision-status[role=status]");
        await Expect(notice).ToContainTextAsync("Approved the proposal as it was — sent to browser test agent for");
        await Expect(notice.Locator("a")).ToHaveAttributeAsync("href", $"/cases/{first}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "case-after-decision.png"), FullPage = true });
    }

    [Fact]
    public async Task AReceiptThatIsNotWhatWasApproved_ShowsAsAWarningOnTheCase()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rhea Receipt", UserRole.Reviewer, "sales");
        var id = await workspace.SubmitPendingAsync(Cases.Refund(2500, order: "B-91"));
        var keyed = await workspace.KeyedClientAsync(ApiKeyRole.Reviewer, "Rhea's script");
        using (var decided = await keyed.PostAsJsonAsync($"/v1/cases/{id}/decision", new { verdict = "approve" }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, decided.StatusCode);
        }

        // The agent ran something other than the approved refund: its digest is not the decision's.
        Assert.Equal(System.Net.HttpStatusCode.OK, await workspace.ReportReceiptAsync(id, new { outcome = "executed", resultDigest = new string('0', 64) }));
        var browser = await SignedInAsync(reviewer, width: 1280);
        await browser.OpenAsync($"/cases/{id}");

        var receipt = browser.Page.Locator("#receipt");
        await Expect(receipt).ToContainTextAsync("Carried out, but not as approved (the agent ran something else), reported by browser test agent just now");
        await Expect(receipt).ToHaveClassAsync("warn");
        await browser.Page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "case-receipt-mismatch.png"), FullPage = true });
    }
}
