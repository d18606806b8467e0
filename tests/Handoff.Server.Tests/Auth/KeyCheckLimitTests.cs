using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Handoff.Server.Auth;
using Handoff.Server.Hosting;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Auth;

public sealed class KeyCheckLimitTests
{
    // The framework's limiters run on the machine's clock, not the test's: a window no slow run can outlast.
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    [Fact]
    public async Task ApiCall_AfterTooManyBadKeysFromOneAddress_Gets429_WhileAnotherAddressKeepsWorking()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.FailedKeyChecksPerAddress = 5;
            o.FailedKeyCheckWindow = Window;
        });
        using var stranger = Client(server, LocalAddress.Stranger, "hk_not-a-key");
        using var agent = Client(server, LocalAddress.Person, server.AdminKey);
        var ct = TestContext.Current.CancellationToken;

        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var guess = await stranger.GetAsync("/v1/policy", ct);
            guesses.Add(guess.StatusCode);
        }

        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminKey);
        using var refused = await stranger.GetAsync("/v1/policy", ct);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(ct));
        using var valid = await agent.GetAsync("/v1/policy", ct);
        stranger.DefaultRequestHeaders.Authorization = null;
        using var withoutKey = await stranger.GetAsync("/healthz", ct);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], guesses);
        // Past the limit even a right key from that address waits: the refusal comes before the key is looked at.
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Too Many Requests", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains("Too many unknown or revoked API keys", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withoutKey.StatusCode);
    }

    [Fact]
    public async Task ApiCall_ManyWithAValidKey_AreNeverLimited()
    {
        await using var server = await TestServer.StartAsync(o => o.FailedKeyChecksPerAddress = 1);
        using var agent = Client(server, LocalAddress.Person, server.AdminKey);
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 5; i++)
        {
            using var response = await agent.GetAsync("/v1/policy", ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task ApiCall_BehindAProxyWithForwardedHeadersEnabled_IsCountedByTheForwardedAddress()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Path.Combine(Path.GetTempPath(), "handoff-tests", Guid.NewGuid().ToString("N"));
        // As docs/operations.md says to run it behind a proxy: ForwardedHeaders_Enabled=true (here as an argument).
        var app = HandoffServer.Build(["--ForwardedHeaders_Enabled=true"], new HandoffServerOptions { DataDirectory = directory, FailedKeyChecksPerAddress = 2, FailedKeyCheckWindow = Window });
        try
        {
            app.Urls.Add("http://127.0.0.1:0");
            await app.InitializeAsync(ct);
            await app.StartAsync(ct);
            var key = await ApiKeys.IssueAsync(app.Services.GetRequiredService<IHandoffStore>(), "default", ApiKeyRole.Admin, "ops", Core.Cases.Actor.Cli("tests"), TimeProvider.System, ct);
            using var proxy = new HttpClient { BaseAddress = app.ListeningAddress() };

            var guesses = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
            {
                using var guess = await proxy.SendAsync(Forwarded("203.0.113.5", "hk_not-a-key"), ct);
                guesses.Add(guess.StatusCode);
            }

            using var otherClient = await proxy.SendAsync(Forwarded("203.0.113.6", key), ct);

            // Both came through one proxy connection address; only the one whose forwarded address guessed is refused.
            Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], guesses);
            Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
        }
        finally
        {
            await app.StopAsync(ct);
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static HttpRequestMessage Forwarded(string clientAddress, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/policy") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return request;
    }

    private static HttpClient Client(TestServer server, IPAddress from, string key) =>
        new(LocalAddress.Handler(from, new CookieContainer()))
        {
            BaseAddress = server.Address,
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
        };
}
