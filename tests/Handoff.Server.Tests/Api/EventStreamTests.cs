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
