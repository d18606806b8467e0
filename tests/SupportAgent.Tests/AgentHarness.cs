using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Handoff.Samples.SupportAgent.Classification;
using Handoff.Samples.SupportAgent.Drafting;
using Handoff.Samples.SupportAgent.Shop;
using Handoff.Storage;
using Handoff.Tests.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Handoff.Samples.SupportAgent.Tests;

/// <summary>
/// A real Handoff server in-process on the demo shop's policy, a reviewer who decides over plain HTTP, and the sample
/// agent (the shipped classifier, trained once per process, or a given chat client) with a shop that records.
/// </summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    private static readonly Lazy<IntentClassifier> Shipped = new(() => IntentClassifier.Train(TrainingData.Shipped()));

    private readonly Func<CustomerSupportAgent> _newAgent;

    private AgentHarness(LoopbackHandoff server, HttpClient reviewer, Func<CustomerSupportAgent> newAgent, SimulatedShop shop)
    {
        Server = server;
        Reviewer = reviewer;
        _newAgent = newAgent;
        Agent = newAgent();
        Shop = shop;
    }

    public LoopbackHandoff Server { get; }

    public HttpClient Reviewer { get; }

    public CustomerSupportAgent Agent { get; }

    /// <summary>The agent's own client, on the agent key.</summary>
    public required Handoff.Client.HandoffClient Handoff { get; init; }

    public SimulatedShop Shop { get; }

    /// <summary>The shipped classifier's drafter, which <see cref="Agent"/> uses unless a chat client was given.</summary>
    public static IDrafter ShippedDrafter() => new ClassifierDrafter(Shipped.Value, "shipped");

    /// <summary>Another agent like <see cref="Agent"/>, as after a restart: same key, same shop, nothing in memory.</summary>
    public CustomerSupportAgent NewAgent() => _newAgent();

    public static async Task<AgentHarness> StartAsync(IChatClient? chatClient = null)
    {
        var server = await LoopbackHandoff.StartAsync();
        var admin = server.Client(await server.IssueKeyAsync(ApiKeyRole.Admin, "Ada Admin"));
        using (var published = await admin.PutAsync("/v1/policy", new StringContent(SupportDemo.PolicyYaml), TestContext.Current.CancellationToken))
        {
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var options = new SupportAgentOptions { Server = server.Address, AgentKey = await server.IssueKeyAsync(ApiKeyRole.Agent, "support agent") };
        var http = server.Own(new HttpClient { Timeout = Timeout.InfiniteTimeSpan });
        var shop = new SimulatedShop(NullLogger<SimulatedShop>.Instance);
        IDrafter drafter = chatClient is null
            ? ShippedDrafter()
            : SupportAgentFactory.CreateDrafter(options, NullLoggerFactory.Instance, chatClient);
        var handoff = new Handoff.Client.HandoffClient(http, new Handoff.Client.HandoffClientOptions { BaseAddress = options.Server, ApiKey = options.AgentKey });
        var reviewer = server.Client(await server.IssueKeyAsync(ApiKeyRole.Reviewer, "Rita Reviewer"));
        return new AgentHarness(server, reviewer, () => new CustomerSupportAgent(handoff, drafter, shop, NullLogger<CustomerSupportAgent>.Instance), shop) { Handoff = handoff };
    }

    /// <summary>Waits (bounded) for a case to be pending, and returns it: each test's agent handles one conversation at a time.</summary>
    public async Task<JsonObject> PendingCaseAsync()
    {
        for (var i = 0; i < 1000; i++)
        {
            var page = await Reviewer.GetFromJsonAsync<JsonObject>("/v1/cases?status=pending", TestContext.Current.CancellationToken);
            if (page!["items"]!.AsArray().FirstOrDefault() is { } found)
            {
                return found.AsObject();
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        throw new Xunit.Sdk.XunitException("No case came to be pending.");
    }

    /// <summary>
    /// The agent handles <paramref name="text"/>; once its case is pending (and the agent still waiting), a person
    /// decides it. Returns the case as the person saw it, and what the agent did.
    /// </summary>
    public async Task<(JsonObject Pending, AgentOutcome Outcome)> HandleWithPersonAsync(string text, object decision, bool returning = false)
    {
        var handling = Agent.HandleAsync(Conversation(text, returning), TestContext.Current.CancellationToken);
        var pending = await PendingCaseAsync();
        Assert.False(handling.IsCompleted, "the agent went ahead before a person decided");
        await DecideAsync(pending, decision);
        return (pending, await handling);
    }

    public async Task DecideAsync(JsonObject @case, object decision)
    {
        using var response = await Reviewer.PostAsJsonAsync($"/v1/cases/{@case["id"]}/decision", decision, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public static Conversation Conversation(string text, bool returning = false) =>
        new($"conv-{Guid.NewGuid():N}", "chat", new Customer("cus_2040", "Tom Becker", returning, "standard"), [new Turn(Turn.CustomerRole, text)]);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
