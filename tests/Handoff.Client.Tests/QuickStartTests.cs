using System.Text.Json.Nodes;
using Handoff.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Client.Tests;

/// <summary>The quick start of docs/agents.md, as written there, against a real server.</summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task QuickStart_AsDocumented_SubmitsWaitsAndGetsTheApprovedCall()
    {
        await using var server = await ClientTestServer.StartAsync();
        var agentKey = server.AgentKey;
        var services = new ServiceCollection();

        // docs/agents.md, "Quick start":
        services.AddHandoffClient(o => { o.BaseAddress = new Uri(server.Address, "/"); o.ApiKey = agentKey; });
        await using var provider = services.BuildServiceProvider();
        var handoff = provider.GetRequiredService<HandoffClient>();

        var submitted = await handoff.SubmitCaseAsync(new CaseRequest { Kind = CaseKind.Action, Summary = "Refund a damaged kettle",
            Facts = new JsonObject { ["amount"] = 1450 },
            Proposal = new Proposal { Text = "Refunded.", Action = new ToolCall("issue_refund", new JsonObject { ["amount"] = 1450 }), Confidence = 0.9 } },
            TestContext.Current.CancellationToken);
        var waiting = handoff.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new { verdict = "edit", arguments = new { amount = 900 } });
        var decided = await waiting;

        Assert.True(decided.IsApproved);
        Assert.Equal("issue_refund", decided.Decision.Result!.Action!.Name);
        Assert.Equal(900, decided.Decision.Result.Action.Arguments!["amount"]!.GetValue<int>());
    }

    [Fact]
    public async Task ConsoleProgram_WithoutDependencyInjection_AsDocumented_RunsTheApprovedCallAndSendsItsReceipt()
    {
        await using var server = await ClientTestServer.StartAsync();
        var reviewer = server.Reviewer();

        // docs/agents.md, the console program without dependency injection (its environment variables given here):
        var handoff = new HandoffClient(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, new HandoffClientOptions
        {
            BaseAddress = new Uri(server.Address, "/"),
            ApiKey = server.AgentKey,
        });

        var submitted = await handoff.SubmitCaseAsync(new CaseRequest
        {
            Kind = CaseKind.Action,
            Summary = "Refund a damaged kettle",
            Facts = new JsonObject { ["amount"] = 1450 },
            Proposal = new Proposal { Text = "Refunded.", Action = new ToolCall("issue_refund", new JsonObject { ["orderId"] = "B-11872", ["amount"] = 1450 }), Confidence = 0.9 },
        }, TestContext.Current.CancellationToken);
        var waiting = handoff.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new { verdict = "approve" });
        var decided = await waiting;
        Assert.True(decided.IsApproved);
        Assert.Equal(1450, decided.Decision.Result!.Action!.Arguments!["amount"]!.GetValue<int>());
        await handoff.ReportExecutedAsync(decided, cancellationToken: TestContext.Current.CancellationToken);

        var stored = await handoff.GetCaseAsync(submitted.Id, TestContext.Current.CancellationToken);
        Assert.Equal(ExecutionOutcome.Executed, stored.Receipt!.Outcome);
        Assert.Equal(submitted.Case.Id, stored.Id);
    }
}
