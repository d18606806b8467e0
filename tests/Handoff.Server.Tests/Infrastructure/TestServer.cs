using Handoff.Server.Hosting;
using Handoff.Storage;
using Handoff.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Server.Tests.Infrastructure;

/// <summary>
/// The shared <see cref="LoopbackHandoff"/> server (Kestrel on 127.0.0.1, a real SQLite file, a FakeTimeProvider for
/// everything time-driven), with keys for each role in two workspaces.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly LoopbackHandoff _server;

    private TestServer(LoopbackHandoff server) => _server = server;

    public WebApplication App => _server.App;

    public FakeTimeProvider Time => _server.Time;

    public Uri Address => _server.Address;

    public IHandoffStore Store => _server.Store;

    public string AgentKey { get; private set; } = "";

    public string ReviewerKey { get; private set; } = "";

    public string SecondReviewerKey { get; private set; } = "";

    public string AdminKey { get; private set; } = "";

    /// <summary>Keys of a second workspace, "other": they must never see the first one's cases.</summary>
    public string OtherAgentKey { get; private set; } = "";

    public string OtherReviewerKey { get; private set; } = "";

    public string OtherAdminKey { get; private set; } = "";

    /// <param name="settings">Configuration as command-line arguments, <c>--Handoff:Webhooks:AllowedNetworks:0=127.0.0.0/8</c>.</param>
    public static async Task<TestServer> StartAsync(Action<HandoffServerOptions>? configure = null, params string[] settings)
    {
        var server = new TestServer(await LoopbackHandoff.StartAsync(configure, settings));
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

    /// <summary>
    /// Steps the fake clock in small steps until the outbox dispatcher has read every audit entry (bounded), so a
    /// test that counts writes does not count the dispatch of what happened before it started counting.
    /// </summary>
    public async Task DrainOutboxAsync()
    {
        for (var i = 0; i < 400; i++)
        {
            var position = await Store.GetDispatchPositionAsync(TestContext.Current.CancellationToken);
            if ((await Store.ReadAuditAsync(position, 1, TestContext.Current.CancellationToken)).Count == 0)
            {
                return;
            }

            Time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Fail("the outbox dispatcher did not catch up with the audit log");
    }

    public HttpClient Client(string? key) => _server.Client(key);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task IssueKeysAsync()
    {
        AgentKey = await _server.IssueKeyAsync(ApiKeyRole.Agent, "test agent");
        ReviewerKey = await _server.IssueKeyAsync(ApiKeyRole.Reviewer, "Rita Reviewer");
        SecondReviewerKey = await _server.IssueKeyAsync(ApiKeyRole.Reviewer, "Sam Second");
        AdminKey = await _server.IssueKeyAsync(ApiKeyRole.Admin, "Ada Admin");
        OtherAgentKey = await _server.IssueKeyAsync(ApiKeyRole.Agent, "other agent", "other");
        OtherReviewerKey = await _server.IssueKeyAsync(ApiKeyRole.Reviewer, "other reviewer", "other");
        OtherAdminKey = await _server.IssueKeyAsync(ApiKeyRole.Admin, "other admin", "other");
    }
}
