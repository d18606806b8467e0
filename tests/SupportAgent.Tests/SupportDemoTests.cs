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
    // Every case needs a person, whatever its confidence: none ends by itself and frees a place under MaxWaiting.
    private const string EveryCaseToAPerson = """
        rules:
          - id: everything
            when:
              kind: { exists: true }
            outcome: review
            reason: In this test every case waits on a person.
        """;

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

    [Fact]
    public async Task Run_MaxWaitingReached_StartsNoMoreConversations()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        var admin = server.Client(await server.IssueKeyAsync(ApiKeyRole.Admin, "Ada Admin"));
        using (var published = await admin.PutAsync("/v1/policy", new StringContent(EveryCaseToAPerson), TestContext.Current.CancellationToken))
        {
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var reviewer = server.Client(await server.IssueKeyAsync(ApiKeyRole.Reviewer, "Rita Reviewer"));
        var options = new SupportAgentOptions { Server = server.Address, AgentKey = await server.IssueKeyAsync(ApiKeyRole.Agent, "demo agent") };
        var clock = new FakeTimeProvider();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var demo = SupportDemo.RunAsync(options, new SupportDemoOptions { Burst = 2, Interval = TimeSpan.FromSeconds(20), MaxWaiting = 2 }, NullLoggerFactory.Instance, clock, stop.Token);
        await UntilCasesAsync(reviewer, 2);

        // Nobody decides: both conversations keep waiting, so however many intervals pass, none starts.
        for (var i = 0; i < 50; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(20));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal(2, await CountAsync(reviewer));
        await stop.CancelAsync();
        await demo;
    }

    [Theory]
    [InlineData(-1, 20, 25, "Burst")]
    [InlineData(1001, 20, 25, "Burst")]
    [InlineData(12, 0, 25, "Interval")]
    [InlineData(12, 0.5, 25, "Interval")]
    [InlineData(12, 20, 0, "MaxWaiting")]
    public async Task Run_BadDemoOptions_ThrowsNamingThem(int burst, double intervalSeconds, int maxWaiting, string property)
    {
        var demo = new SupportDemoOptions { Burst = burst, Interval = TimeSpan.FromSeconds(intervalSeconds), MaxWaiting = maxWaiting };

        var thrown = await Assert.ThrowsAsync<ArgumentException>(() =>
            SupportDemo.RunAsync(new SupportAgentOptions { AgentKey = "hk_unused" }, demo, NullLoggerFactory.Instance, new FakeTimeProvider(), TestContext.Current.CancellationToken));

        Assert.Equal("demo", thrown.ParamName);
        Assert.Contains($"SupportDemoOptions.{property}", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_Defaults_IsNull() => Assert.Null(new SupportDemoOptions().Problem());

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
