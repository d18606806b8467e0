using System.Net;
using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

public sealed class TakeoverTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task TakeOver_ChatWithTheCustomerThroughTheAgent_ThenHandBack()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Tara Takeover", UserRole.Reviewer, "sales");
        var id = await workspace.SubmitPendingAsync(Cases.Refund(2500, customer: "Lea Park"));
        var browser = await SignedInAsync(reviewer);
        await browser.OpenAsync($"/cases/{id}");
        var page = browser.Page;
        await Expect(page.Locator("#take-over")).ToBeEnabledAsync();

        await page.Keyboard.PressAsync("t");
        await Expect(page.Locator("#case-status")).ToHaveTextAsync("taken over");
        await Expect(page.Locator("#chat-title")).ToContainTextAsync("you have taken over");
        Assert.Equal(HttpStatusCode.Conflict, await workspace.PostMessageAsync(id, "agent", "I have refunded you."));

        // The agent relays what the customer writes; it appears in the chat without a reload.
        Assert.Equal(HttpStatusCode.Created, await workspace.PostMessageAsync(id, "customer", "Hello? Is a real person there now?"));
        await Expect(page.Locator("ol.transcript li.role-customer")).ToContainTextAsync("Is a real person there now?");
        var replies = workspace.WaitForMessagesAsync(id, 1);
        await page.Locator("#chat-reply").FillAsync("Yes, Tara here. I can offer a replacement or a refund.");
        await page.Keyboard.PressAsync("Enter");

        var reply = await replies;
        var message = Assert.Single(reply.GetProperty("messages").EnumerateArray());
        Assert.Equal(("person", "Yes, Tara here. I can offer a replacement or a refund.", "Tara Takeover"),
            (message.GetProperty("role").GetString(), message.GetProperty("text").GetString(), message.GetProperty("by").GetProperty("name").GetString()));
        await Expect(page.Locator("ol.transcript li.role-person")).ToContainTextAsync("Tara here");
        await Expect(page.Locator("#chat-reply")).ToHaveValueAsync("");
        Assert.Equal(HttpStatusCode.Created, await workspace.PostMessageAsync(id, "customer", "A refund, please."));
        await Expect(page.Locator("ol.transcript li")).ToHaveCountAsync(3);
        await page.Locator("#handback-note").FillAsync("Refund of 2,500 agreed; issue it and confirm.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "case-takeover.png"), FullPage = true });

        var waiting = workspace.WaitForDecisionAsync(id);
        await Server.UntilSomeoneWaitsOnAsync(id);
        await page.Locator("#hand-back").ClickAsync();

        var decision = await waiting;
        Assert.Equal(("handBack", "Refund of 2,500 agreed; issue it and confirm."), (decision.GetProperty("verdict").GetString(), decision.GetProperty("text").GetString()));
        await Expect(page.Locator("#decision-status")).ToContainTextAsync("Handed the conversation back");
    }
}
