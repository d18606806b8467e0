using System.Text.Json.Nodes;
using Handoff.Client.AI.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static Handoff.Client.AI.Tests.Infrastructure.ScriptedChatClient;

namespace Handoff.Client.AI.Tests;

/// <summary>
/// A run that pauses on approval requests (a plain function invoker, as an Agent Framework agent does), decided
/// through Handoff and resumed with the responses.
/// </summary>
public sealed class HandoffApprovalResponsesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DecideApprovalRequests_ResumedRun_RunsTheApprovedCallAndRefusesTheEditedAndRejectedOnes()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(
            Calls(Tools.Refund("call_a", "A-1", 100), Tools.Refund("call_b", "B-2", 200), Tools.Refund("call_c", "C-3", 300)),
            Text("All handled."));
        using var agent = new ChatClientBuilder(model).UseFunctionInvocation().Build();
        List<ChatMessage> history = [new(ChatRole.User, "Refund my three orders.")];
        var options = new ChatOptions { Tools = [tools.IssueRefund] };

        var paused = await agent.GetResponseAsync(history, options, Token);
        history.AddRange(paused.Messages);
        var deciding = server.Agent.DecideApprovalRequestsAsync(history, "run-1", cancellationToken: Token);
        var cases = await server.PendingCasesAsync(3);
        JsonObject Case(string orderId) => cases.Single(c => c["proposal"]!["action"]!["arguments"]!["orderId"]!.GetValue<string>() == orderId);
        await server.DecideAsync(Case("C-3"), new { verdict = "reject", text = "Already refunded." });
        await server.DecideAsync(Case("B-2"), new { verdict = "edit", arguments = new { orderId = "B-2", amount = 50 } });
        await server.DecideAsync(Case("A-1"), new { verdict = "approve" });
        var answers = await deciding;
        history.Add(answers!);
        var resumed = await agent.GetResponseAsync(history, options, Token);

        Assert.Equal("All handled.", resumed.Text);
        Assert.Equal(["issue_refund(A-1, 100)"], tools.Runs);
        var results = model.LastResults();
        Assert.Equal("Refunded 100 on A-1.", results["call_a"]);
        Assert.Contains("""Not run: a person changed the arguments to {"orderId":"B-2","amount":50}.""", results["call_b"], StringComparison.Ordinal);
        Assert.Contains("Rejected by a person: Already refunded.", results["call_c"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideApprovalRequests_AfterARestart_FindsTheSameCaseInsteadOfAskingTwice()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_a", "A-1", 100)));
        using var agent = new ChatClientBuilder(model).UseFunctionInvocation().Build();
        List<ChatMessage> history = [new(ChatRole.User, "Refund please.")];
        history.AddRange((await agent.GetResponseAsync(history, new ChatOptions { Tools = [tools.IssueRefund] }, Token)).Messages);

        // The first process submits and is stopped while it waits.
        using (var stopped = CancellationTokenSource.CreateLinkedTokenSource(Token))
        {
            var waiting = server.Agent.DecideApprovalRequestsAsync(history, "run-7", cancellationToken: stopped.Token);
            await server.PendingCasesAsync(1);
            await stopped.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        // The next one, with the same run id and messages, waits on the same case.
        var resuming = server.Agent.DecideApprovalRequestsAsync(history, "run-7", cancellationToken: Token);
        await server.DecideAsync((await server.PendingCasesAsync(1))[0], new { verdict = "approve" });
        var answer = Assert.IsType<ToolApprovalResponseContent>(Assert.Single((await resuming)!.Contents));

        Assert.True(answer.Approved);
        Assert.Equal(1, await server.CaseCountAsync());
    }
}
