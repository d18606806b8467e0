using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Handoff.Storage;
using Handoff.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Samples.SupportAgent.Tests;

/// <summary>The demo's customers: a burst of conversations at once, then one per interval, each a case from the agent.</summary>
public sealed class SupportDemoTests
{
    [Fact]
    public async Task Run_BurstThenInterval_SubmitsCasesUntilCancelled()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        var reviewer = server.Client(await server.IssueKeyAsync(ApiKeyRole.Reviewer, "Rita Reviewer"));
        var options = new SupportAgentOptions { Server = server.Address, AgentKey = await server.IssueKeyAsync(ApiKeyRole.Agent, "demo agent") };
        var clock = new FakeTimeProvider();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var demo = SupportDemo.RunAsync(options, new SupportDemoOptions { Burst = 3, Interval = TimeSpan.FromSeconds(20), MaxWaiting = 100 }, NullLoggerFactory.Instance, clock, stop.Token);
        await UntilCasesAsync(reviewer, 3);
        Assert.Equal(3, await CountAsync(reviewer));
        for (var i = 0; i < 200 && await CountAsync(reviewer) < 4; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(20));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(await CountAsync(reviewer) >= 4, "no conversation after the interval");
        await stop.CancelAsync();
        await demo; // ends without throwing, although conversations were still waiting on people
        var cases = await reviewer.GetFromJsonAsync<JsonObject>("/v1/cases", TestContext.Current.CancellationToken);
        Assert.All(cases!["items"]!.AsArray(), c => Assert.Equal("demo agent", (string?)c!["submittedBy"]!["name"]));
    }

    private static async Task UntilCasesAsync(HttpClient reviewer, int count)
    {
        for (var i = 0; i < 1000 && await CountAsync(reviewer) < count; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<int> CountAsync(HttpClient reviewer)
    {
        var page = await reviewer.GetFromJsonAsync<JsonObject>("/v1/cases", TestContext.Current.CancellationToken);
        return page!["items"]!.AsArray().Count;
    }
}
