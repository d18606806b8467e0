using System.Net;
using System.Text;
using Handoff.Client.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

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
    [Fact]
    public async Task StreamAllEvents_CutInsideAnEvent_AsksAgainForTheEventCutOff()
    {
        await using var server = await ClientTestServer.StartAsync();
        var clock = new FakeTimeProvider();
        var cutter = new CutsTheFirstStreamInsideAnEvent();
        var client = server.Agent(time: clock, handler: cutter);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var events = EventCollector.StartAll(client, null, stop.Token);

        await Eventually.TrueAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));   // the pause before reconnecting
            return cutter.Resumes.Count > 0;
        }, "the stream was never opened again");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => events.Completion);

        // Position 5 was whole; event 6 was cut off after its id line: the reconnect asks for what follows 5.
        Assert.Equal("5", cutter.Resumes.First());
        Assert.Empty(events.Seen);
    }

    /// <summary>The first workspace stream names position 5, starts event 6 and breaks off; later ones are recorded.</summary>
    private sealed class CutsTheFirstStreamInsideAnEvent : RecordingHandler
    {
        private int _streams;

        public System.Collections.Concurrent.ConcurrentQueue<string> Resumes { get; } = new();

        protected override Task<HttpResponseMessage> ForwardAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _streams) > 1)
            {
                Resumes.Enqueue(request.Headers.TryGetValues("Last-Event-ID", out var id) ? string.Join(",", id) : "(none)");
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request });
            }

            var body = ": keep-alive\nid: 5\n\nevent: case.created\nid: 6\ndata: {\"caseId\":\"cs_1\",\"seq";
            var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }

    internal sealed class CaseEventComparer : IEqualityComparer<CaseEvent>
    {
        public static readonly CaseEventComparer Instance = new();

        public bool Equals(CaseEvent? x, CaseEvent? y) => x?.Sequence == y?.Sequence && x?.Action == y?.Action;

        public int GetHashCode(CaseEvent obj) => HashCode.Combine(obj.Sequence, obj.Action);
    }
}
