using System.Net.Http.Headers;
using System.Net.Http.Json;
using Handoff.Client;
using Handoff.Server;
using Handoff.Server.Auth;
using Handoff.Server.Hosting;
using Handoff.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Client.Tests.Infrastructure;

/// <summary>
/// A real Handoff server on 127.0.0.1 over a real SQLite file in its own temp folder, with a FakeTimeProvider as its
/// clock. It can be stopped hard (connections cut, as in a crash) and started again on the same port and data.
/// </summary>
internal sealed class ClientTestServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly List<IDisposable> _owned = [];
    private WebApplication? _app;

    private ClientTestServer(string directory, FakeTimeProvider time)
    {
        _directory = directory;
        Time = time;
    }

    /// <summary>The server's clock: expiry and the end of a long-poll move only when a test advances it.</summary>
    public FakeTimeProvider Time { get; }

    public Uri Address { get; private set; } = null!;

    public string AgentKey { get; private set; } = "";

    public string ReviewerKey { get; private set; } = "";

    public static async Task<ClientTestServer> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "handoff-client-tests", Guid.NewGuid().ToString("N"));
        var server = new ClientTestServer(directory, new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero)));
        await server.StartAppAsync("http://127.0.0.1:0");
        var store = server._app!.Services.GetRequiredService<IHandoffStore>();
        var actor = Handoff.Core.Cases.Actor.Cli("client tests");
        server.AgentKey = await ApiKeys.IssueAsync(store, "default", ApiKeyRole.Agent, "test agent", actor, server.Time);
        server.ReviewerKey = await ApiKeys.IssueAsync(store, "default", ApiKeyRole.Reviewer, "Rita Reviewer", actor, server.Time);
        return server;
    }

    /// <summary>Stops the server as a crash would: open requests are cut, not finished.</summary>
    public async Task StopAsync()
    {
        var app = _app!;
        _app = null;
        try
        {
            await app.StopAsync(new CancellationToken(canceled: true));
        }
        catch (OperationCanceledException)
        {
            // Asked for: no grace period.
        }

        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Starts a new server on the same port, over the same data.</summary>
    public Task StartAgainAsync() => StartAppAsync(Address.GetLeftPart(UriPartial.Authority));

    /// <summary>A client for the agent key; it owns what it is given and is disposed with the server.</summary>
    public HandoffClient Agent(
        Action<HandoffClientOptions>? configure = null, TimeProvider? time = null, DelegatingHandler? handler = null, Uri? address = null)
    {
        var options = new HandoffClientOptions { BaseAddress = address ?? Address, ApiKey = AgentKey };
        configure?.Invoke(options);
        HttpMessageHandler pipeline = new SocketsHttpHandler();
        if (handler is not null)
        {
            handler.InnerHandler = pipeline;
            pipeline = handler;
        }

        var http = new HttpClient(pipeline) { Timeout = Timeout.InfiniteTimeSpan };
        _owned.Add(http);
        return new HandoffClient(http, options, time);
    }

    /// <summary>A plain HttpClient with the reviewer key: how a person's tool decides.</summary>
    public HttpClient Reviewer()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReviewerKey);
        _owned.Add(client);
        return client;
    }

    /// <summary>Claims a case as a reviewer would.</summary>
    public async Task ClaimAsync(string caseId)
    {
        using var response = await Reviewer().PostAsync($"/v1/cases/{caseId}/claim", null, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"claiming answered {(int)response.StatusCode}");
    }

    /// <summary>Decides a case as a reviewer would; the body is the JSON of <c>POST /v1/cases/{id}/decision</c>.</summary>
    public async Task DecideAsync(string caseId, object body)
    {
        using var response = await Reviewer().PostAsJsonAsync($"/v1/cases/{caseId}/decision", body, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"deciding answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

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

    private async Task StartAppAsync(string url)
    {
        var app = HandoffServer.Build([], new HandoffServerOptions { DataDirectory = _directory }, services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        });
        app.Urls.Add(url);
        await app.InitializeAsync();
        await app.StartAsync();
        _app = app;
        Address = app.ListeningAddress();
    }
}
