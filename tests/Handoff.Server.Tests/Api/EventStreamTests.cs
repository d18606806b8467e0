using System.Net.Http.Headers;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

public sealed class EventStreamTests
{
    [Fact]
    public async Task Events_StreamHistoryThenLiveChangesAndEndWhenDecided()
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
        Assert.Equal(["case.claimed", "case.decided"], events);
        Assert.Contains($"id: {history[^1].Sequence}", stream, StringComparison.Ordinal);
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
