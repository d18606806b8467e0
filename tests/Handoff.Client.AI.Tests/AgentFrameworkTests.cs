using Handoff.Client.AI.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static Handoff.Client.AI.Tests.Infrastructure.ScriptedChatClient;

namespace Handoff.Client.AI.Tests;

/// <summary>A Microsoft Agent Framework agent whose run pauses on an approval request, decided through Handoff.</summary>
public sealed class AgentFrameworkTests
{
    [Fact]
    public async Task DecideApprovalRequests_WithAChatClientAgent_ResumesTheRunAndRunsTheApprovedCall()
    {
        var token = TestContext.Current.CancellationToken;
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("Refunded."));
        var agent = model.AsAIAgent(tools: [tools.IssueRefund]);
        var session = await agent.CreateSessionAsync(token);

        var paused = await agent.RunAsync("My kettle arrived cracked. Refund please.", session, cancellationToken: token);
        var deciding = server.Agent.DecideApprovalRequestsAsync(paused.Messages, "session-1", cancellationToken: token);
        await server.DecideAsync((await server.PendingCasesAsync(1))[0], new { verdict = "approve" });
        var resumed = await agent.RunAsync((await deciding)!, session, cancellationToken: token);

        Assert.Equal("Refunded.", resumed.Text);
        Assert.Equal(["issue_refund(B-11872, 1450)"], tools.Runs);
        Assert.Equal("Refunded 1450 on B-11872.", model.LastResults()["call_1"]);
    }

    [Fact]
    public async Task DecideApprovalRequests_WithAChatClientAgent_WhenEdited_RunsNothingAndGivesTheModelThePersonsArguments()
    {
        var token = TestContext.Current.CancellationToken;
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("I will ask again for 900."));
        var agent = model.AsAIAgent(tools: [tools.IssueRefund]);
        var session = await agent.CreateSessionAsync(token);

        var paused = await agent.RunAsync("My kettle arrived cracked. Refund please.", session, cancellationToken: token);
        var deciding = server.Agent.DecideApprovalRequestsAsync(paused.Messages, "session-1", cancellationToken: token);
        await server.DecideAsync((await server.PendingCasesAsync(1))[0], new { verdict = "edit", arguments = new { orderId = "B-11872", amount = 900 } });
        await agent.RunAsync((await deciding)!, session, cancellationToken: token);

        // The agent would run the call in its session (1450) whatever the approval said; so the edit is refused.
        Assert.Empty(tools.Runs);
        Assert.Contains("""a person changed the arguments to {"orderId":"B-11872","amount":900}""", model.LastResults()["call_1"], StringComparison.Ordinal);
    }
}
