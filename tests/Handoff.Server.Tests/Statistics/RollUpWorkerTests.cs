using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Statistics;

/// <summary>The background roll-up of closed cases for the overview, on the server's clock.</summary>
public sealed class RollUpWorkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryInterval_TheCasesClosedSinceAreRolledUp_AndOpenOnesAreNot()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        await TestCases.SubmitAsync(agent, TestCases.Auto());
        var decided = await TestCases.SubmitPendingAsync(agent);
        using (await TestCases.DecideAsync(reviewer, decided, new { verdict = "approve" }))
        {
        }

        await TestCases.SubmitPendingAsync(agent);
        var workspace = (await server.Store.ListWorkspacesAsync(Ct)).Single(static w => w.Name != "other");

        server.Time.Advance(TimeSpan.FromSeconds(10));
        var facts = await WaitForRollUpAsync(server, workspace.Id);

        Assert.Equal(2, facts.ClosedDays.Sum(static d => d.Counts.Submitted));
        Assert.Equal(1, facts.ClosedDays.Sum(static d => d.Counts.Automated));
        Assert.Equal(Handoff.Core.Cases.CaseStatus.Pending, Assert.Single(facts.Records).Status);
    }

    [Fact]
    public async Task AnIntervalOfZero_TurnsTheWorkerOff_AndTheOverviewReadsEveryCaseItself()
    {
        await using var server = await TestServer.StartAsync(static o => o.RollUpInterval = TimeSpan.Zero);
        var agent = server.Client(server.AgentKey);
        await TestCases.SubmitAsync(agent, TestCases.Auto());
        var workspace = (await server.Store.ListWorkspacesAsync(Ct)).Single(static w => w.Name != "other");

        // Rolled up by hand, the position moves; so nothing else had moved it.
        var facts = await server.Store.GetOverviewFactsAsync(workspace.Id, DateTimeOffset.MinValue, Ct);
        Assert.Equal((0L, 0, 1), (facts.Position, facts.ClosedDays.Count, facts.Records.Count));
        Assert.True(await server.Store.RollUpClosedCasesAsync(100, Ct) > 0);
    }

    private static async Task<Storage.OverviewFacts> WaitForRollUpAsync(TestServer server, string workspaceId)
    {
        // The worker runs on its own thread once the fake clock lets its delay end; wait for its write, not for time.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var facts = await server.Store.GetOverviewFactsAsync(workspaceId, DateTimeOffset.MinValue, deadline.Token);
            if (facts.ClosedDays.Count > 0 && facts.Records.Count == 1)
            {
                return facts;
            }

            await Task.Delay(20, deadline.Token);
        }
    }
}
