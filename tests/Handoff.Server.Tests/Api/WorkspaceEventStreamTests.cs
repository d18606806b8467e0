using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;
using Handoff.Core.Cases;
using Handoff.Server.Auth;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;

namespace Handoff.Server.Tests.Api;

/// <summary>
/// <c>GET /v1/events</c>: one stream for an agent serving many cases — its own cases' events live, with their case
/// ids; a reviewer's stream has the whole workspace's; never another workspace's; resumable by event id.
/// </summary>
public sealed class WorkspaceEventStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAgentsStream_CarriesItsOwnCasesAsTheyHappen_AndNobodyElses()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var colleague = server.Client(await ApiKeys.IssueAsync(server.Store, "default", ApiKeyRole.Agent, "another agent", Actor.Cli("tests"), server.Time, Ct));
        await using var stream = await Events.OpenAsync(agent, "/v1/events");

        await TestCases.SubmitPendingAsync(colleague);
        await TestCases.SubmitPendingAsync(server.Client(server.OtherAgentKey));
        var mine = await TestCases.SubmitPendingAsync(agent);
        using (await TestCases.DecideAsync(server.Client(server.ReviewerKey), mine, new { verdict = "reject", text = "No." }))
        {
        }

        var created = await stream.NextAsync();
        Assert.Equal("case.created", created.EventType);
        Assert.Equal(mine, CaseId(created));
        var rest = await stream.UntilAsync("case.decided");
        Assert.All(rest, e => Assert.Equal(mine, CaseId(e)));
        var decided = rest[^1];
        Assert.Equal("reject", Data(decided).GetProperty("data").GetProperty("verdict").GetString());
        Assert.Equal(Data(decided).GetProperty("sequence").GetInt64().ToString(CultureInfo.InvariantCulture), decided.EventId);
    }

    [Fact]
    public async Task AReviewersStream_CarriesTheWholeWorkspace_ButNotAnotherOne()
    {
        await using var server = await TestServer.StartAsync();
        await using var stream = await Events.OpenAsync(server.Client(server.ReviewerKey), "/v1/events");

        await TestCases.SubmitPendingAsync(server.Client(server.OtherAgentKey));
        var first = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var colleague = server.Client(await ApiKeys.IssueAsync(server.Store, "default", ApiKeyRole.Agent, "another agent", Actor.Cli("tests"), server.Time, Ct));
        var second = await TestCases.SubmitPendingAsync(colleague);

        var seen = new List<string>();
        while (!seen.Contains(second))
        {
            var next = await stream.NextAsync();
            if (next.EventType == "case.created")
            {
                seen.Add(CaseId(next));
            }
        }

        Assert.Equal([first, second], seen);
    }

    [Fact]
    public async Task AStream_ResumesAfterTheEventIdItIsGiven()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agent);
        using (await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" }))
        {
        }

        long createdAt;
        await using (var fromTheStart = await Events.OpenAsync(agent, "/v1/events?after=0"))
        {
            var created = await fromTheStart.NextAsync();
            Assert.Equal(("case.created", id), (created.EventType, CaseId(created)));
            createdAt = long.Parse(created.EventId!, CultureInfo.InvariantCulture);
        }

        await using var resumed = await Events.OpenAsync(agent, "/v1/events", lastEventId: createdAt.ToString(CultureInfo.InvariantCulture));
        var next = await resumed.NextAsync();
        Assert.NotEqual("case.created", next.EventType);
        Assert.Equal(id, CaseId(next));
        Assert.True(long.Parse(next.EventId!, CultureInfo.InvariantCulture) > createdAt);
    }

    [Theory]
    [InlineData("/v1/events?after=soon", null, "after")]
    [InlineData("/v1/events?after=-1", null, "after")]
    [InlineData("/v1/events", "twelve", "Last-Event-ID")]
    public async Task ABadStartingPoint_IsAProblemNamingIt(string path, string? lastEventId, string field)
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await server.Client(server.AgentKey).SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task WithoutAKey_IsRefused()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client(null).GetAsync("/v1/events", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static JsonElement Data(SseItem<string> item) => JsonDocument.Parse(item.Data).RootElement;

    private static string CaseId(SseItem<string> item) => Data(item).GetProperty("caseId").GetString()!;

    /// <summary>An open event stream, read in the background; each next event is awaited with a bound.</summary>
    internal sealed class Events : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly Channel<SseItem<string>> _items = Channel.CreateUnbounded<SseItem<string>>();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _reading;

        private Events(HttpResponseMessage response, Stream body)
        {
            _response = response;
            _reading = Task.Run(async () =>
            {
                try
                {
                    await foreach (var item in SseParser.Create(body).EnumerateAsync(_stop.Token))
                    {
                        await _items.Writer.WriteAsync(item, _stop.Token);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
                {
                }
                finally
                {
                    _items.Writer.TryComplete();
                }
            });
        }

        public static async Task<Events> OpenAsync(HttpClient client, string path, string? lastEventId = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (lastEventId is not null)
            {
                request.Headers.Add("Last-Event-ID", lastEventId);
            }

            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new Events(response, await response.Content.ReadAsStreamAsync(Ct));
        }

        public async Task<SseItem<string>> NextAsync() => await _items.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);

        /// <summary>The events up to and including the first of <paramref name="type"/>.</summary>
        public async Task<List<SseItem<string>>> UntilAsync(string type)
        {
            var items = new List<SseItem<string>>();
            do
            {
                items.Add(await NextAsync());
            }
            while (items[^1].EventType != type);
            return items;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _response.Dispose();
            await _reading;
            _stop.Dispose();
        }
    }
}
