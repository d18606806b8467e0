using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Handoff.Storage;
using Handoff.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Client.AI.Tests.Infrastructure;

/// <summary>
/// The shared <see cref="LoopbackHandoff"/> server (real, on 127.0.0.1 over SQLite), with an agent client for the
/// middleware and a reviewer who decides through plain HTTP.
/// </summary>
internal sealed class AiTestServer : IAsyncDisposable
{
    private readonly LoopbackHandoff _server;
    private HttpClient _reviewer = null!;

    private AiTestServer(LoopbackHandoff server) => _server = server;

    public Uri Address => _server.Address;

    /// <summary>The server's clock: expiry and the end of a long-poll move only when a test advances it.</summary>
    public FakeTimeProvider Time => _server.Time;

    /// <summary>A client with the agent key, for the middleware.</summary>
    public HandoffClient Agent { get; private set; } = null!;

    public static async Task<AiTestServer> StartAsync()
    {
        var server = new AiTestServer(await LoopbackHandoff.StartAsync());
        var agentKey = await server._server.IssueKeyAsync(ApiKeyRole.Agent, "test agent");
        var reviewerKey = await server._server.IssueKeyAsync(ApiKeyRole.Reviewer, "Rita Reviewer");
        var agentHttp = server._server.Own(new HttpClient { Timeout = Timeout.InfiniteTimeSpan });
        server.Agent = new HandoffClient(agentHttp, new HandoffClientOptions { BaseAddress = server.Address, ApiKey = agentKey });
        server._reviewer = server._server.Client(reviewerKey);
        return server;
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> cases are pending, and returns them, oldest first.</summary>
    public async Task<IReadOnlyList<JsonObject>> PendingCasesAsync(int count)
    {
        IReadOnlyList<JsonObject> pending = [];
        for (var i = 0; i < 1000; i++)
        {
            var page = await _reviewer.GetFromJsonAsync<JsonObject>("/v1/cases?status=pending", TestContext.Current.CancellationToken);
            pending = [.. page!["items"]!.AsArray().Select(c => c!.AsObject()).Reverse()];
            if (pending.Count >= count)
            {
                break;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Equal(count, pending.Count);
        return pending;
    }

    /// <summary>A case as it stands now.</summary>
    public async Task<JsonObject> CaseAsync(JsonObject @case) =>
        (await _reviewer.GetFromJsonAsync<JsonObject>($"/v1/cases/{@case["id"]}", TestContext.Current.CancellationToken))!;

    /// <summary>Every case, whatever its status.</summary>
    public async Task<int> CaseCountAsync()
    {
        var page = await _reviewer.GetFromJsonAsync<JsonObject>("/v1/cases", TestContext.Current.CancellationToken);
        return page!["items"]!.AsArray().Count;
    }

    /// <summary>Decides a case as a reviewer would; the body is the JSON of <c>POST /v1/cases/{id}/decision</c>.</summary>
    public async Task DecideAsync(JsonObject @case, object body)
    {
        using var response = await _reviewer.PostAsJsonAsync($"/v1/cases/{@case["id"]}/decision", body, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"deciding answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    /// <summary>Posts to one of a case's reviewer endpoints (<c>takeover</c>, <c>handback</c>) as a person would.</summary>
    public async Task PostAsync(JsonObject @case, string action, object? body = null)
    {
        using var response = body is null
            ? await _reviewer.PostAsync($"/v1/cases/{@case["id"]}/{action}", null, TestContext.Current.CancellationToken)
            : await _reviewer.PostAsJsonAsync($"/v1/cases/{@case["id"]}/{action}", body, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{action} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
