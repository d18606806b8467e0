using Handoff.Client.Tests.Infrastructure;

namespace Handoff.Client.Tests;

public sealed class EventStreamTests
{
    [Fact]
    public async Task StreamEvents_FollowsTheCaseUntilItCloses()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        var events = EventCollector.Start(client, submitted.Id);
        await events.UntilAsync(1, "the history did not arrive");
        await server.ClaimAsync(submitted.Id);

        await events.UntilAsync(2, "the claim did not arrive");
        await server.DecideAsync(submitted.Id, new { verdict = "approve" });
        await events.Completion;
        var seen = events.Seen;

        Assert.Equal(["case.created", "case.claimed", "case.decided"], seen.Select(e => e.Action));
        Assert.Equal(submitted.ProposalDigest, seen[0].Data["proposalDigest"]!.GetValue<string>());
        Assert.Equal("approve", seen[2].Data["verdict"]!.GetValue<string>());
        Assert.Equal("Rita Reviewer", seen[2].Actor.Name);
        Assert.True(seen[0].Sequence < seen[1].Sequence && seen[1].Sequence < seen[2].Sequence);
    }

    [Fact]
    public async Task StreamEvents_AfterASequence_SendsOnlyWhatCameLater()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new { verdict = "reject", text = "No." });
        var history = await Collect(client.StreamEventsAsync(submitted.Id, cancellationToken: TestContext.Current.CancellationToken));

        var later = await Collect(client.StreamEventsAsync(submitted.Id, history[0].Sequence, TestContext.Current.CancellationToken));

        Assert.Equal(["case.created", "case.decided"], history.Select(e => e.Action));
        Assert.Equal(history[1], Assert.Single(later), CaseEventComparer.Instance);
    }

    [Fact]
    public async Task StreamEvents_OfAClosedCase_StopsAtTheEndEvent_WithoutYieldingItOrAskingAgain()
    {
        await using var server = await ClientTestServer.StartAsync();
        var recording = new RecordingHandler();
        var client = server.Agent(handler: recording);
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new { verdict = "approve" });

        var events = await Collect(client.StreamEventsAsync(submitted.Id, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(["case.created", "case.decided"], events.Select(e => e.Action));
        // One stream and nothing after it: neither a reconnect nor a look at the case to learn that it is closed.
        Assert.Equal(["POST /v1/cases", $"GET /v1/cases/{submitted.Id}/events"], recording.Requests);
    }

    [Fact]
    public async Task StreamEvents_AfterTheLastEventOfAClosedCase_EndsAtOnceOn204()
    {
        await using var server = await ClientTestServer.StartAsync();
        var recording = new RecordingHandler();
        var client = server.Agent(handler: recording);
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await server.DecideAsync(submitted.Id, new { verdict = "reject", text = "No." });
        var history = await Collect(client.StreamEventsAsync(submitted.Id, cancellationToken: TestContext.Current.CancellationToken));

        // Resuming where the last stream stopped: the server has nothing more and says so with 204.
        var later = await Collect(client.StreamEventsAsync(submitted.Id, history[^1].Sequence, TestContext.Current.CancellationToken));

        Assert.Empty(later);
        Assert.Equal(2, recording.Count("/events"));
    }

    [Fact]
    public async Task StreamEvents_OfAnUnknownCase_ThrowsNotFound()
    {
        await using var server = await ClientTestServer.StartAsync();

        var problem = await Assert.ThrowsAsync<HandoffProblemException>(
            () => Collect(server.Agent().StreamEventsAsync("cs_nope", cancellationToken: TestContext.Current.CancellationToken)));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, problem.Status);
    }

    internal static async Task<List<CaseEvent>> Collect(IAsyncEnumerable<CaseEvent> events)
    {
        var all = new List<CaseEvent>();
        await foreach (var item in events)
        {
            all.Add(item);
        }

        return all;
    }

    /// <summary>Events are equal when their sequence and action are (their JSON data compares by reference).</summary>
    internal sealed class CaseEventComparer : IEqualityComparer<CaseEvent>
    {
        public static readonly CaseEventComparer Instance = new();

        public bool Equals(CaseEvent? x, CaseEvent? y) => x?.Sequence == y?.Sequence && x?.Action == y?.Action;

        public int GetHashCode(CaseEvent obj) => HashCode.Combine(obj.Sequence, obj.Action);
    }
}
