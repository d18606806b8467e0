using Handoff.Client.AI.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static Handoff.Client.AI.Tests.Infrastructure.ScriptedChatClient;

namespace Handoff.Client.AI.Tests;

/// <summary>The quick start of docs/agents.md § Microsoft.Extensions.AI, as written there, against a real server.</summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task QuickStart_AsDocumented_RunsTheRefundAPersonApprovedAndTheLookupWithoutACase()
    {
        await using var server = await AiTestServer.StartAsync();
        var handoff = server.Agent;
        List<string> runs = [];
        string IssueRefund(string orderId, int amount) { lock (runs) { runs.Add($"refund {orderId} {amount}"); } return "Refunded."; }
        string LookupOrder(string orderId) { lock (runs) { runs.Add($"lookup {orderId}"); } return "A kettle."; }
        var model = new ScriptedChatClient(Calls(Tools.Lookup("call_1", "B-11872")), Calls(Tools.Refund("call_2", "B-11872", 1450)), Text("Refunded."));

        var answering = Task.Run(async () =>
        {
            // docs/agents.md, "Microsoft.Extensions.AI":
            var chat = new ChatClientBuilder(model).UseHandoffApprovals(handoff).UseFunctionInvocation().Build();
            var tools = new ChatOptions { Tools = [new ApprovalRequiredAIFunction(AIFunctionFactory.Create(IssueRefund, "issue_refund")), AIFunctionFactory.Create(LookupOrder, "lookup_order")] };
            var answer = await chat.GetResponseAsync("My kettle arrived cracked, order B-11872. Refund please.", tools);   // a person decides the refund
            return answer;
        }, TestContext.Current.CancellationToken);
        var @case = Assert.Single(await server.PendingCasesAsync(1));
        await server.DecideAsync(@case, new { verdict = "approve" });
        var answer = await answering;

        Assert.Equal("Refunded.", answer.Text);
        Assert.Equal(["lookup B-11872", "refund B-11872 1450"], runs);
        Assert.Equal(1, await server.CaseCountAsync());
    }

    [Fact]
    public async Task UseHandoffApprovals_WithoutAClient_TakesTheOneOfThePipelinesServices()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("Done."));
        var services = new ServiceCollection().AddSingleton(server.Agent);
        await using var provider = services.BuildServiceProvider();
        using var chat = new ChatClientBuilder(model).UseHandoffApprovals().UseFunctionInvocation().Build(provider);

        var answering = chat.GetResponseAsync("Refund please.", new ChatOptions { Tools = [tools.IssueRefund] }, TestContext.Current.CancellationToken);
        await server.DecideAsync((await server.PendingCasesAsync(1))[0], new { verdict = "approve" });
        await answering;

        Assert.Equal(["issue_refund(B-11872, 1450)"], tools.Runs);
    }
}
