using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Handoff.Server;
using Handoff.Server.Auth;
using Handoff.Server.Hosting;
using Handoff.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Client.AI.Tests.Infrastructure;

/// <summary>
/// A real Handoff server on 127.0.0.1 over a real SQLite file in its own temp folder (as Handoff.Client.Tests starts
/// it), with an agent client for the middleware and a reviewer who decides through plain HTTP.
/// </summary>
internal sealed class AiTestServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly List<IDisposable> _owned = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private WebApplication _app = null!;
    private HttpClient _reviewer = null!;

    private AiTestServer(string directory) => _directory = directory;

    public Uri Address { get; private set; } = null!;

    /// <summary>The server's clock: expiry and the end of a long-poll move only when a test advances it.</summary>
    public FakeTimeProvider Time => _time;

    /// <summary>A client with the agent key, for the middleware.</summary>
    public HandoffClient Agent { get; private set; } = null!;

    public static async Task<AiTestServer> StartAsync()
    {
        var server = new AiTestServer(Path.Combine(Path.GetTempPath(), "handoff-client-ai-tests", Guid.NewGuid().ToString("N")));
        await server.StartAppAsync();
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

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the test; the temp folder is cleaned by the OS.
        }
    }

    private async Task StartAppAsync()
    {
        _app = HandoffServer.Build([], new HandoffServerOptions { DataDirectory = _directory }, services =>
        {
            services.AddSingleton<TimeProvider>(_time);
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        });
        _app.Urls.Add("http://127.0.0.1:0");
        await _app.InitializeAsync();
        await _app.StartAsync();
        Address = _app.ListeningAddress();

        var store = _app.Services.GetRequiredService<IHandoffStore>();
        var actor = Handoff.Core.Cases.Actor.Cli("client ai tests");
        var agentKey = await ApiKeys.IssueAsync(store, "default", ApiKeyRole.Agent, "test agent", actor, _time);
        var reviewerKey = await ApiKeys.IssueAsync(store, "default", ApiKeyRole.Reviewer, "Rita Reviewer", actor, _time);

        var agentHttp = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _owned.Add(agentHttp);
        Agent = new HandoffClient(agentHttp, new HandoffClientOptions { BaseAddress = Address, ApiKey = agentKey });
        _reviewer = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        _reviewer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", reviewerKey);
        _owned.Add(_reviewer);
    }
}
