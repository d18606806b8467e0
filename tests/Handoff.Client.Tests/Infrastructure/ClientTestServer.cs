using System.Net.Http.Json;
using Handoff.Client;
using Handoff.Storage;
using Handoff.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Client.Tests.Infrastructure;

/// <summary>
/// The shared <see cref="LoopbackHandoff"/> server with an agent key and a reviewer key in the default workspace: a
/// real server on 127.0.0.1 over SQLite, a FakeTimeProvider as its clock, stopped hard and started again at will.
/// </summary>
internal sealed class ClientTestServer : IAsyncDisposable
{
    private readonly LoopbackHandoff _server;

    private ClientTestServer(LoopbackHandoff server) => _server = server;

    /// <summary>The server's clock: expiry and the end of a long-poll move only when a test advances it.</summary>
    public FakeTimeProvider Time => _server.Time;

    public Uri Address => _server.Address;

    public string AgentKey { get; private set; } = "";

    public string ReviewerKey { get; private set; } = "";

    public static async Task<ClientTestServer> StartAsync()
    {
        var server = new ClientTestServer(await LoopbackHandoff.StartAsync());
        server.AgentKey = await server._server.IssueKeyAsync(ApiKeyRole.Agent, "test agent");
        server.ReviewerKey = await server._server.IssueKeyAsync(ApiKeyRole.Reviewer, "Rita Reviewer");
        return server;
    }

    /// <summary>Stops the server as a crash would: open requests are cut, not finished.</summary>
    public Task StopAsync() => _server.StopAsync();

    /// <summary>Starts a new server on the same port, over the same data.</summary>
    public Task StartAgainAsync() => _server.StartAgainAsync();

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

        var http = _server.Own(new HttpClient(pipeline) { Timeout = Timeout.InfiniteTimeSpan });
        return new HandoffClient(http, options, time);
    }

    /// <summary>A plain HttpClient with the reviewer key: how a person's tool decides.</summary>
    public HttpClient Reviewer() => _server.Client(ReviewerKey);

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

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
