using Bunit;
using Handoff.Core.Cases;
using Handoff.Server.Dashboard.Pages;
using Handoff.Server.Dashboard.Shared;
using Microsoft.AspNetCore.Components;

namespace Handoff.Server.Tests.Dashboard.Pages;

/// <summary>The notice of what a decision sent and to whom, which the layout keeps on screen as the next case opens.</summary>
public sealed class DecisionStatusTests
{
    [Fact]
    public async Task Approve_TellsWhatWasSentToWhichAgentAndLinksTheCase()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var (refund, status, page) = await OpenWithStatusAsync(context);
        Assert.Empty(status.FindAll("#decision-status p"));

        await page.InvokeAsync(() => page.Find("#approve").ClickAsync(new()));

        status.WaitForAssertion(() => Assert.Contains("Approved the proposal as it was — sent to support bot for", status.Find("#decision-status").TextContent, StringComparison.Ordinal));
        Assert.Equal("status", status.Find("#decision-status").GetAttribute("role"));
        Assert.Equal($"/cases/{refund.Id}", status.Find("#decision-status a").GetAttribute("href"));
    }

    [Fact]
    public async Task Edit_TellsEachChangeThatWasSent()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var (_, status, page) = await OpenWithStatusAsync(context);

        await page.InvokeAsync(() => page.Find("#edit").ClickAsync(new()));
        await page.InvokeAsync(() => page.Find("#arg-amount").InputAsync(new ChangeEventArgs { Value = "900" }));
        await page.InvokeAsync(() => page.Find("#approve-edit").ClickAsync(new()));

        status.WaitForAssertion(() => Assert.Contains("Approved with changes: arguments.amount 2500 → 900 — sent to support bot", status.Find("#decision-status").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reject_TellsTheReasonTheAgentGets()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var (_, status, page) = await OpenWithStatusAsync(context);

        await page.InvokeAsync(() => page.Find("#reject").ClickAsync(new()));
        await page.InvokeAsync(() => page.Find("#reject-reason").InputAsync(new ChangeEventArgs { Value = "Out of warranty." }));
        await page.InvokeAsync(() => page.Find("#confirm-reject").ClickAsync(new()));

        status.WaitForAssertion(() => Assert.Contains("Rejected, with the reason “Out of warranty.” — sent to support bot", status.Find("#decision-status").TextContent, StringComparison.Ordinal));
        await status.Find("#decision-status button").ClickAsync(new());
        Assert.Empty(status.FindAll("#decision-status p"));
    }

    /// <summary>A refund opened (so claimed) by the signed-in person, beside the notice the layout shows.</summary>
    private static async Task<(HandoffCase Refund, IRenderedComponent<DecisionStatus> Status, IRenderedComponent<CaseView> Page)> OpenWithStatusAsync(DashboardTestContext context)
    {
        var cases = await context.AddCaseLoopAsync();
        var refund = await cases.SubmitRefundAsync(context, 2500);
        var status = context.Render<DecisionStatus>();
        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));
        page.WaitUntilClaimed();
        return (refund, status, page);
    }
}
