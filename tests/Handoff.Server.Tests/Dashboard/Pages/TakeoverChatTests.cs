using Bunit;
using Handoff.Core.Cases;
using Handoff.Server.Dashboard.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Dashboard.Pages;

public sealed class TakeoverChatTests
{
    private static readonly Actor Agent = new("agent", "key_agent", "support bot");

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task TakeOver_MakesTheConversationTheirs_AndOpensTheChat()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var (_, refund, page) = await OpenRefundAsync(context);
        Assert.Empty(page.FindAll("#chat"));

        await page.InvokeAsync(() => page.Find("#take-over").ClickAsync(new()));

        page.WaitForAssertion(() => Assert.Equal("taken over", page.Find("#case-status").TextContent));
        var stored = await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct);
        Assert.Equal((CaseStatus.TakenOver, context.User.Id), (stored!.Status, stored.AssignedTo?.Id));
        Assert.Contains("you have taken over", page.Find("#chat-title").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("#chat-reply"));
        Assert.Empty(page.FindAll("#take-over"));
    }

    [Fact]
    public async Task Chat_ShowsTheCustomersMessageLive_AndEnterSendsTheReply()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var (cases, refund, page) = await OpenRefundAsync(context);
        await page.InvokeAsync(() => page.Find("#take-over").ClickAsync(new()));

        await cases.AddMessageAsync(context.WorkspaceId, refund.Id, CaseMessageRole.Customer, "Hello? Anyone there?", Agent, Ct);
        page.WaitForAssertion(() => Assert.Contains("Hello? Anyone there?", page.Find("ol.transcript").TextContent, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.Find("#chat-reply").InputAsync(new ChangeEventArgs { Value = "Yes, I am here to help." }));
        await page.InvokeAsync(() => page.Find("#chat-form").SubmitAsync());

        var stored = await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct);
        var reply = stored!.Transcript![^1];
        Assert.Equal((CaseMessageRole.Person, "Yes, I am here to help.", context.User.Id), (reply.Role, reply.Text, reply.By.Id));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("ol.transcript li").Count));
        Assert.Contains("you", page.FindAll("ol.transcript li")[1].QuerySelector(".role")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("", page.Find("#chat-reply").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task HandBack_NeedsANote_ThenClosesTheCaseAndSaysWhatWasSent()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var (_, refund, page) = await OpenRefundAsync(context);
        await page.InvokeAsync(() => page.Find("#take-over").ClickAsync(new()));

        await page.InvokeAsync(() => page.Find("#hand-back").ClickAsync(new()));
        Assert.Contains("Write a note for the agent first", page.Find("#chat-problem").TextContent, StringComparison.Ordinal);
        Assert.Equal(CaseStatus.TakenOver, (await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct))!.Status);

        await page.InvokeAsync(() => page.Find("#handback-note").InputAsync(new ChangeEventArgs { Value = "Refund agreed; confirm it." }));
        await page.InvokeAsync(() => page.Find("#hand-back").ClickAsync(new()));

        var stored = await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct);
        Assert.Equal((CaseStatus.HandedBack, Verdict.HandBack, "Refund agreed; confirm it."), (stored!.Status, stored.Decision!.Verdict, stored.Decision.Text));
        Assert.EndsWith("/", context.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
        var notice = context.Services.GetRequiredService<Handoff.Server.Dashboard.Shared.LastDecision>().Notice;
        Assert.Equal("Handed the conversation back, with the note “Refund agreed; confirm it.”", notice!.Sent);
    }

    [Fact]
    public async Task AnotherPersonsTakeover_ShowsTheChatReadOnly_WithWhoHasIt()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        var refund = await cases.SubmitRefundAsync(context, 2500);
        var sam = new Actor("user", "u_sam", "Sam Second");
        await cases.TakeOverAsync(context.WorkspaceId, refund.Id, sam, Ct);
        await cases.AddMessageAsync(context.WorkspaceId, refund.Id, CaseMessageRole.Person, "Sam here.", sam, Ct);

        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));

        page.WaitForAssertion(() => Assert.Equal("Sam Second is working on this case.", page.Find("#case-banner").TextContent));
        Assert.Contains("Sam Second has taken over", page.Find("#chat-title").TextContent, StringComparison.Ordinal);
        Assert.Contains("Sam here.", page.Find("ol.transcript").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#chat-reply"));
        Assert.Empty(page.FindAll("#hand-back"));
    }

    private static async Task<(Handoff.Server.Cases.CaseService Cases, HandoffCase Refund, IRenderedComponent<CaseView> Page)> OpenRefundAsync(DashboardTestContext context)
    {
        var cases = await context.AddCaseLoopAsync();
        var refund = await cases.SubmitRefundAsync(context, 2500);
        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));
        page.WaitUntilClaimed();
        return (cases, refund, page);
    }
}
