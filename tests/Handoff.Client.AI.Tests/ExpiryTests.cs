using Handoff.Client.AI.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static Handoff.Client.AI.Tests.Infrastructure.ScriptedChatClient;

namespace Handoff.Client.AI.Tests;

/// <summary>Cases nobody decides: the server's fake clock runs past their expiry, and the tool never runs.</summary>
public sealed class ExpiryTests
{
    [Fact]
    public async Task GetResponse_WhenTheCaseExpiresWithReject_GivesTheModelTheTimeoutAndDoesNotRunTheTool()
    {
        var (tools, model) = await RunThroughExpiryAsync(TimeoutEffect.Reject);

        Assert.Empty(tools.Runs);
        Assert.Equal("Rejected: Nobody decided before the case expired.", model.LastResults()["call_1"]);
    }

    [Fact]
    public async Task GetResponse_WhenTheCaseEscalates_TellsTheModelAPersonWillFollowUpAndDoesNotRunTheTool()
    {
        var (tools, model) = await RunThroughExpiryAsync(TimeoutEffect.Escalate);

        Assert.Empty(tools.Runs);
        Assert.StartsWith("Not run: nobody decided in time, and a person will follow up (case cs_", model.LastResults()["call_1"], StringComparison.Ordinal);
    }

    private static async Task<(Tools Tools, ScriptedChatClient Model)> RunThroughExpiryAsync(TimeoutEffect onTimeout)
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("A person will get back to you."));
        using var chat = new ChatClientBuilder(model)
            .UseHandoffApprovals(server.Agent, o => { o.ExpiresIn = TimeSpan.FromMinutes(2); o.OnTimeout = onTimeout; })
            .UseFunctionInvocation()
            .Build();

        var answering = chat.GetResponseAsync("Refund please.", new ChatOptions { Tools = [tools.IssueRefund] }, TestContext.Current.CancellationToken);
        await server.PendingCasesAsync(1);
        for (var i = 0; i < 600 && !answering.IsCompleted; i++)
        {
            // Small steps: the server's timers are set a moment after a request starts, so one big jump could miss them.
            server.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(answering, Task.Delay(20, TestContext.Current.CancellationToken));
        }

        Assert.True(answering.IsCompleted, "nothing answered as the clock moved on");
        await answering;
        return (tools, model);
    }
}
