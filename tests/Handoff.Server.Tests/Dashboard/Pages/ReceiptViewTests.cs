using Bunit;
using Handoff.Core.Cases;
using Handoff.Server.Dashboard.Pages;

namespace Handoff.Server.Tests.Dashboard.Pages;

/// <summary>The case view says what became of an approved case: waiting for the agent's receipt, carried out, or not.</summary>
public sealed class ReceiptViewTests
{
    private static readonly Actor Bot = new("agent", "key_bot", "support bot");

    [Fact]
    public async Task AnApprovedCase_ShowsItWaitsForTheAgent_ThenWhatTheAgentReported()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        var refund = await cases.SubmitRefundAsync(context, 2500);
        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));
        page.WaitUntilClaimed();
        await page.InvokeAsync(() => page.Find("#approve").ClickAsync(new()));
        context.Time.Advance(TimeSpan.FromMinutes(7));

        var waiting = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));
        waiting.WaitForAssertion(() => Assert.Equal("Not reported as carried out yet (approved 7m ago).", waiting.Find("#receipt").TextContent.Trim()));

        var stored = (await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Xunit.TestContext.Current.CancellationToken))!;
        await context.Store.RecordReceiptAsync(context.WorkspaceId, refund.Id, new ExecutionReceipt
        {
            Outcome = ExecutionOutcome.Executed, ResultDigest = new string('f', 64), At = context.Time.GetUtcNow(), By = Bot,
        }, Xunit.TestContext.Current.CancellationToken);
        Assert.NotEqual(new string('f', 64), stored.Decision!.ResultDigest);
        var mismatched = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));

        mismatched.WaitForAssertion(() => Assert.StartsWith("Carried out, but not as approved (the agent ran something else), reported by support bot", mismatched.Find("#receipt").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Contains("warn", mismatched.Find("#receipt").ClassList);
    }
}
