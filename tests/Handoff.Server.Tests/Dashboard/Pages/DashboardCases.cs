using Bunit;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Server.Api;
using Handoff.Server.Cases;
using Handoff.Server.Diagnostics;
using Handoff.Server.Events;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Dashboard.Pages;

/// <summary>The case loop's real services in a bUnit context, and cases submitted through them as an agent would.</summary>
internal static class DashboardCases
{
    private static readonly Actor Agent = new("agent", "key_agent", "support bot");

    public static async Task<CaseService> AddCaseLoopAsync(this DashboardTestContext context)
    {
        context.Services.AddMetrics();
        context.Services.AddSingleton<HandoffMetrics>();
        context.Services.AddSingleton<CaseNotifier>();
        context.Services.AddSingleton<Handoff.Server.Routing.Router>();
        context.Services.AddSingleton<CaseService>();
        context.Services.AddSingleton<CaseHandover>();
        // Pages claim and decide only over a live circuit, which is what these tests are about.
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        await context.Store.PublishPolicyAsync(context.WorkspaceId, BuiltInPolicy.Yaml, Actor.System, Xunit.TestContext.Current.CancellationToken);
        return context.Services.GetRequiredService<CaseService>();
    }

    /// <summary>
    /// The case loop of another node on the same store: its changes reach this context's pages only through a relay,
    /// and these tests have none, as if its signals were lost.
    /// </summary>
    public static CaseService OtherNode(this DashboardTestContext context) =>
        ActivatorUtilities.CreateInstance<CaseService>(context.Services, new CaseNotifier());

    /// <summary>
    /// Waits until the page holds the case and has finished loading: the claim's change notice can render "assigned"
    /// while the load that claimed is still finishing, and the buttons wait for it.
    /// </summary>
    public static void WaitUntilClaimed(this IRenderedComponent<Handoff.Server.Dashboard.Pages.CaseView> page) =>
        page.WaitForAssertion(() =>
        {
            Assert.Equal("assigned", page.Find("#case-status").TextContent);
            Assert.False(page.Find("#reject").HasAttribute("disabled"), "the page is still busy");
        });

    /// <summary>A refund above 1,000: the built-in policy sends it to the sales team for review.</summary>
    public static async Task<HandoffCase> SubmitRefundAsync(this CaseService cases, DashboardTestContext context, int amount, string customer = "Maria Lopez", TimeSpan? expiresIn = null, bool returning = false)
    {
        var content = new CaseContent
        {
            Kind = CaseKind.Action,
            Summary = $"Refund {amount} for a broken espresso machine",
            Subject = JsonSerializer.SerializeToElement(new { id = "cus_1", name = customer, returning }),
            Facts = JsonSerializer.SerializeToElement(new { amount }),
            Conversation = [new Message("customer", "My machine arrived broken, I want my money back.")],
            Proposal = new Proposal("I've refunded your order.", new ToolCall("issue_refund", JsonSerializer.SerializeToElement(new { order = "A-1001", amount })), 0.9),
            Options = [new Proposal("Offer a replacement machine instead.", null, 0.6)],
        };
        var result = await cases.SubmitAsync(context.WorkspaceId, new SubmittedCase(content, expiresIn, TimeoutEffect.Reject), null, Agent, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(CaseStatus.Pending, result.Case.Status);
        return result.Case;
    }
}
