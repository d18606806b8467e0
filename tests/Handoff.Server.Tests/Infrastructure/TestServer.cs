using System.Net.Http.Headers;
using Handoff.Core.Cases;
using Handoff.Server.Auth;
using Handoff.Server.Hosting;
using Handoff.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Server.Tests.Infrastructure;

/// <summary>
/// A real Handoff server on 127.0.0.1 (Kestrel, random port) over a real SQLite file in its own temp folder, with a
/// FakeTimeProvider for everything time-driven, and keys for each role in two workspaces.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly List<HttpClient> _clients = [];

    private TestServer(string directory, WebApplication app, FakeTimeProvider time, Uri address)
    {
        _directory = directory;
        App = app;
        Time = time;
        Address = address;
    }

    public WebApplication App { get; }

    public FakeTimeProvider Time { get; }

    public Uri Address { get; }

    public IHandoffStore Store => App.Services.GetRequiredService<IHandoffStore>();

    public string AgentKey { get; private set; } = "";

    public string ReviewerKey { get; private set; } = "";

    public string SecondReviewerKey { get; private set; } = "";

    public string AdminKey { get; private set; } = "";

    /// <summary>Keys of a second workspace, "other": they must never see the first one's cases.</summary>
    public string OtherAgentKey { get; private set; } = "";

    public string OtherReviewerKey { get; private set; } = "";

    public string OtherAdminKey { get; private set; } = "";

    public static async Task<TestServer> StartAsync(Action<HandoffServerOptions>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "handoff-tests", Guid.NewGuid().ToString("N"));
        var options = new HandoffServerOptions { DataDirectory = directory };
        configure?.Invoke(options);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        var app = HandoffServer.Build([], options, services =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        });
        app.Urls.Add("http://127.0.0.1:0");
        await app.InitializeAsync();
        await app.StartAsync();
        var server = new TestServer(directory, app, time, app.ListeningAddress());
        await server.IssueKeysAsync();
        return server;
    }

    /// <summary>Waits (bounded) until a request is parked on the case, so what the test does next must wake it.</summary>
    public async Task UntilSomeoneWaitsOnAsync(string caseId)
    {
        var notifier = App.Services.GetRequiredService<Events.CaseNotifier>();
        for (var i = 0; i < 500 && notifier.WatcherCount(caseId) == 0; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(notifier.WatcherCount(caseId) > 0, "no request started waiting on the case");
    }

    /// <summary>
    /// Steps the fake clock by <paramref name="step"/> until <paramref name="waiting"/> completes (bounded). A server
    /// sets its timers a moment after a request starts waiting, so one big jump could land before the timer exists
    /// and never fire it; small steps always reach it.
    /// </summary>
    public async Task AdvanceUntilAsync(Task waiting, TimeSpan? step = null)
    {
        for (var i = 0; i < 400 && !waiting.IsCompleted; i++)
        {
            Time.Advance(step ?? TimeSpan.FromSeconds(5));
            await Task.WhenAny(waiting, Task.Delay(25, TestContext.Current.CancellationToken));
        }

        Assert.True(waiting.IsCompleted, "the waiting request was not answered as the clock moved on");
    }

    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await App.StopAsync();
        await App.DisposeAsync();
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

    private async Task IssueKeysAsync()
    {
        var actor = Actor.Cli("tests");
        AgentKey = await ApiKeys.IssueAsync(Store, "default", ApiKeyRole.Agent, "test agent", actor, Time);
        ReviewerKey = await ApiKeys.IssueAsync(Store, "default", ApiKeyRole.Reviewer, "Rita Reviewer", actor, Time);
        SecondReviewerKey = await ApiKeys.IssueAsync(Store, "default", ApiKeyRole.Reviewer, "Sam Second", actor, Time);
        AdminKey = await ApiKeys.IssueAsync(Store, "default", ApiKeyRole.Admin, "Ada Admin", actor, Time);
        OtherAgentKey = await ApiKeys.IssueAsync(Store, "other", ApiKeyRole.Agent, "other agent", actor, Time);
        OtherReviewerKey = await ApiKeys.IssueAsync(Store, "other", ApiKeyRole.Reviewer, "other reviewer", actor, Time);
        OtherAdminKey = await ApiKeys.IssueAsync(Store, "other", ApiKeyRole.Admin, "other admin", actor, Time);
    }
}
