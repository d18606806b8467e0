using Handoff.Client.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Client.Tests;

/// <summary>The server goes away mid-wait (open requests cut, as in a crash) and comes back on the same port and data.</summary>
public sealed class ServerRestartTests
{
    [Fact]
    public async Task WaitForDecision_AcrossAServerRestart_ReturnsTheDecisionMadeAfterIt()
    {
        await using var server = await ClientTestServer.StartAsync();
        var clock = new FakeTimeProvider();
        var recorder = new RecordingHandler();
        var client = server.Agent(time: clock, handler: recorder);
        var submitted = await client.SubmitCaseAsync(Cases.Refund(TimeSpan.FromHours(4)), TestContext.Current.CancellationToken);

        var waiting = client.WaitForDecisionAsync(submitted, cancellationToken: TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => recorder.Count("/decision") == 1, "the wait never asked the server");
        await server.StopAsync();
        await Eventually.TrueAsync(() => !recorder.Failures.IsEmpty, "the wait did not notice the server going away");
        // While the server is down the client keeps trying, pausing on its own clock between tries.
        clock.Advance(TimeSpan.FromSeconds(10));
        await server.StartAgainAsync();
        await server.DecideAsync(submitted.Id, new { verdict = "approve", note = "after the restart" });
        await Eventually.AdvanceUntilAsync(clock, waiting);
        var decided = await waiting;

        Assert.Equal(Verdict.Approve, decided.Decision.Verdict);
        Assert.Equal("after the restart", decided.Decision.Note);
        Assert.Equal(submitted.ProposalDigest, decided.Decision.ProposalDigest);
        Assert.All(recorder.Failures, e => Assert.IsType<HttpRequestException>(e, exactMatch: false));
    }

    [Fact]
    public async Task StreamEvents_AcrossAServerRestart_ResumeWithoutLosingOrRepeatingAnEvent()
    {
        await using var server = await ClientTestServer.StartAsync();
        var clock = new FakeTimeProvider();
        var recorder = new RecordingHandler();
        var client = server.Agent(time: clock, handler: recorder);
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        var events = EventCollector.Start(client, submitted.Id);
        await events.UntilAsync(1, "the history did not arrive");
        await server.StopAsync();
        await server.StartAgainAsync();
        await server.ClaimAsync(submitted.Id);

        await server.DecideAsync(submitted.Id, new { verdict = "approve" });
        await Eventually.AdvanceUntilAsync(clock, events.Completion);
        await events.Completion;

        Assert.Equal(["case.created", "case.claimed", "case.decided"], events.Seen.Select(e => e.Action));
        Assert.True(recorder.Count("/events") >= 2, "the stream was not opened again");
    }

    [Fact]
    public async Task StreamAllEvents_FollowsTheKeysCases_AcrossAServerRestart_WithoutLosingOrRepeatingAnEvent()
    {
        await using var server = await ClientTestServer.StartAsync();
        var clock = new FakeTimeProvider();
        var recorder = new RecordingHandler();
        var client = server.Agent(time: clock, handler: recorder);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var events = EventCollector.StartAll(client, 0, stop.Token);
        var first = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => events.Seen.Count == 1, "the first case's creation did not arrive");
        await server.StopAsync();
        await server.StartAgainAsync();
        await server.DecideAsync(first.Id, new { verdict = "approve" });
        var second = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            return events.Seen.Count >= 3;
        }, "the stream did not pick up after the restart");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => events.Completion);

        Assert.Equal([(first.Id, "case.created"), (first.Id, "case.decided"), (second.Id, "case.created")], events.Seen.Select(e => (e.CaseId, e.Action)));
        Assert.True(events.Seen[0].Sequence < events.Seen[1].Sequence && events.Seen[1].Sequence < events.Seen[2].Sequence);
        Assert.True(recorder.Count("/v1/events") >= 2, "the stream was not opened again");
    }

    [Fact]
    public async Task StreamAllEvents_DroppedBeforeItsFirstEvent_ResumesWhereItStarted_NotFromTheReconnect()
    {
        await using var server = await ClientTestServer.StartAsync();
        var clock = new FakeTimeProvider();
        var recorder = new PositionWatchingHandler();
        var client = server.Agent(time: clock, handler: recorder);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var events = EventCollector.StartAll(client, null, stop.Token);
        // The client has read the position the server names first (its "id:" line) before the server goes away.
        await recorder.PositionRead.Task.WaitAsync(TestContext.Current.CancellationToken);

        await server.StopAsync();
        await server.StartAgainAsync();
        var submitted = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            return events.Seen.Count >= 1;
        }, "the case submitted while the stream was away never arrived");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => events.Completion);

        Assert.Equal((submitted.Id, "case.created"), (events.Seen[0].CaseId, events.Seen[0].Action));
    }

    /// <summary>Tells when the client has read an <c>id:</c> line of the first event stream it opened.</summary>
    private sealed class PositionWatchingHandler : RecordingHandler
    {
        public TaskCompletionSource PositionRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> RewriteAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            if (response.Content.Headers.ContentType?.MediaType != "text/event-stream" || PositionRead.Task.IsCompleted)
            {
                return response;
            }

            var watched = new StreamContent(new WatchedStream(await response.Content.ReadAsStreamAsync(cancellationToken), PositionRead));
            foreach (var header in response.Content.Headers)
            {
                watched.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = watched;
            return response;
        }
    }

    private sealed class WatchedStream(Stream inner, TaskCompletionSource seen) : Stream
    {
        private string _read = "";

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var count = await inner.ReadAsync(buffer, cancellationToken);
            Saw(buffer.Span[..count]);
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Saw(buffer.AsSpan(offset, read));
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        // The bytes are handed on as read; the client parses them in the same read, before it asks for more.
        private void Saw(ReadOnlySpan<byte> bytes)
        {
            _read += System.Text.Encoding.UTF8.GetString(bytes);
            if (_read.Contains("id:", StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }
    }
}
