using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using Handoff.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Api;

public sealed class EventStreamTests
{
    [Fact]
    public async Task Events_StreamHistoryThenLiveChanges_AndEndWithTheFinalStatusWhenDecided()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var id = await TestCases.SubmitPendingAsync(agent);
        var cancellation = TestContext.Current.CancellationToken;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{id}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await agent.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation));

        Assert.Equal("case.created", await NextEventAsync(reader));
        using (await reviewer.PostAsync($"/v1/cases/{id}/claim", null, cancellation))
        {
        }

        Assert.Equal("case.claimed", await NextEventAsync(reader));
        using (await TestCases.DecideAsync(reviewer, id, new { verdict = "approve" }))
        {
        }

        Assert.Equal("case.decided", await NextEventAsync(reader));
        Assert.Equal("end", await NextEventAsync(reader));
        Assert.Equal("""data: {"status":"approved"}""", await reader.ReadLineAsync(cancellation));
        var rest = await reader.ReadToEndAsync(cancellation).WaitAsync(TimeSpan.FromSeconds(10), cancellation);
        Assert.DoesNotContain("event:", rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_WithLastEventId_ResumeAfterIt()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var id = await TestCases.SubmitPendingAsync(agent);
        using (await reviewer.PostAsync($"/v1/cases/{id}/claim", null, TestContext.Current.CancellationToken))
        {
        }

        using (await TestCases.DecideAsync(reviewer, id, new { verdict = "approve" }))
        {
        }

        var history = await server.Store.GetCaseHistoryAsync((await server.Store.FindWorkspaceAsync("default"))!.Id, id);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{id}/events");
        request.Headers.Add("Last-Event-ID", history[0].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await agent.SendAsync(request, TestContext.Current.CancellationToken);
        var stream = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        // The case is closed, so the stream replays what came after the given id and ends.
        var events = stream.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l["event: ".Length..]).ToList();
        Assert.Equal(["case.claimed", "case.decided", "end"], events);
        Assert.Contains($"id: {history[^1].Sequence}", stream, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none", HttpStatusCode.OK)]
    [InlineData("before the last entry", HttpStatusCode.OK)]
    [InlineData("the last entry", HttpStatusCode.NoContent)]
    [InlineData("beyond the last entry", HttpStatusCode.NoContent)]
    public async Task Events_OfAClosedCase_Answer204OnlyToAReconnectThatHasSeenItsLastEntry(string lastEventId, HttpStatusCode expected)
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        using (await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "reject", text = "No." }))
        {
        }

        var history = await server.Store.GetCaseHistoryAsync((await server.Store.FindWorkspaceAsync("default"))!.Id, id, TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{id}/events");
        long? sequence = lastEventId switch
        {
            "before the last entry" => history[^2].Sequence,
            "the last entry" => history[^1].Sequence,
            "beyond the last entry" => history[^1].Sequence + 1000,
            _ => null,
        };
        if (sequence is not null)
        {
            request.Headers.Add("Last-Event-ID", sequence.Value.ToString(CultureInfo.InvariantCulture));
        }

        using var response = await server.Client(server.AgentKey).SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        var events = await ReadAsync(response);
        if (expected == HttpStatusCode.NoContent)
        {
            Assert.Empty(events);
        }
        else
        {
            // A first connection replays the history, one that missed the last entry gets it; both then end.
            Assert.Equal(sequence is null ? ["case.created", "case.decided", "end"] : ["case.decided", "end"], events.Select(e => e.EventType));
            Assert.Equal("""{"status":"rejected"}""", events[^1].Data);
        }
    }

    [Fact]
    public async Task Events_AnEventSourceThatIgnoresTheEndEvent_IsStoppedBy204OnItsReconnect()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);
        using (await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" }))
        {
        }

        // What a WHATWG EventSource does on its own: reconnect whenever a 200 stream ends, with the last id it saw,
        // and stop for good on 204.
        var seen = new List<string>();
        var statuses = new List<HttpStatusCode>();
        string? lastEventId = null;
        while (statuses.Count < 5 && statuses.LastOrDefault() != HttpStatusCode.NoContent)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{id}/events");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (lastEventId is not null)
            {
                request.Headers.Add("Last-Event-ID", lastEventId);
            }

            using var response = await agent.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
            var parser = SseParser.Create(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
            await foreach (var item in parser.EnumerateAsync(TestContext.Current.CancellationToken))
            {
                seen.Add(item.EventType);
            }

            lastEventId = parser.LastEventId;
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.NoContent], statuses);
        Assert.Equal(["case.created", "case.decided", "end"], seen);
    }

    [Fact]
    public async Task ManyStreamsAndLongPollsOnOneCase_WhileItIsClaimedAndDecidedInARow_EachGetsEveryEventOnceAndTheDecision()
    {
        // The waiters one change wakes share one read of it; a burst of changes must still reach every one of them.
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        var id = await TestCases.SubmitPendingAsync(agent);
        var cancellation = TestContext.Current.CancellationToken;
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 20; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{id}/events");
            responses.Add(await agent.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation));
        }

        var streams = responses.Select(ReadAsync).ToList();
        var polls = Enumerable.Range(0, 20).Select(_ => agent.GetAsync($"/v1/cases/{id}/decision?wait=60", cancellation)).ToList();
        var notifier = server.App.Services.GetRequiredService<Handoff.Server.Events.CaseNotifier>();
        for (var i = 0; i < 500 && notifier.WatcherCount(id) < 40; i++)
        {
            await Task.Delay(10, cancellation);
        }

        Assert.Equal(40, notifier.WatcherCount(id));
        var claim = reviewer.PostAsync($"/v1/cases/{id}/claim", null, cancellation);
        using (await claim)
        using (await TestCases.DecideAsync(reviewer, id, new { verdict = "approve" }))
        {
        }

        foreach (var stream in streams)
        {
            Assert.Equal(["case.created", "case.claimed", "case.decided", "end"], (await stream.WaitAsync(TimeSpan.FromSeconds(30), cancellation)).Select(static e => e.EventType));
        }

        foreach (var poll in polls)
        {
            using var answer = await poll.WaitAsync(TimeSpan.FromSeconds(30), cancellation);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("\"approved\"", await answer.Content.ReadAsStringAsync(cancellation), StringComparison.Ordinal);
        }

        responses.ForEach(static r => r.Dispose());
    }

    private static async Task<List<SseItem<string>>> ReadAsync(HttpResponseMessage response)
    {
        var items = new List<SseItem<string>>();
        var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(TestContext.Current.CancellationToken))
        {
            items.Add(item);
        }

        return items;
    }

    private static async Task<string> NextEventAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                return line["event: ".Length..];
            }
        }

        throw new InvalidOperationException("The stream ended before another event.");
    }
}
