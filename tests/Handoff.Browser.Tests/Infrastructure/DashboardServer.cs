using Handoff.Core.Cases;
using Handoff.Server;
using Handoff.Server.Accounts;
using Handoff.Server.Auth;
using Handoff.Server.Events;
using Handoff.Server.Hosting;
using Handoff.Storage;
using Microsoft.AspNetCore.Builder;

namespace Handoff.Browser.Tests.Infrastructure;

/// <summary>
/// A real Handoff server for one test class: Kestrel on 127.0.0.1 (random port) over a SQLite file in a temp folder,
/// with the system clock (the dashboard shows countdowns that tick). It starts with no accounts; each test makes its
/// own workspace, people and cases (<see cref="NewWorkspaceAsync"/>), so tests do not see each other's cases. The
/// learned gate trains only when a test asks (<c>POST /v1/learning/gate/train</c>), never in the background, so that a
/// round of training cannot land in the middle of a test and move the gate's threshold under it.
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "handoff-browser-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public Uri Address { get; private set; } = default!;

    internal IServiceProvider Services => _app!.Services;

    internal IHandoffStore Store => Services.GetRequiredService<IHandoffStore>();

    public async ValueTask InitializeAsync()
    {
        var options = new HandoffServerOptions { DataDirectory = _directory, Notifications = { Deliver = false }, Learning = { TrainInterval = TimeSpan.Zero } };
        _app = HandoffServer.Build([], options,
            services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)));
        _app.Urls.Add("http://127.0.0.1:0");
        await _app.InitializeAsync();
        await _app.StartAsync();
        Address = _app.ListeningAddress();
    }

    /// <summary>A workspace of its own with an agent key, for one test.</summary>
    internal async Task<TestWorkspace> NewWorkspaceAsync()
    {
        var name = "browser-" + Guid.NewGuid().ToString("N")[..12];
        var key = await ApiKeys.IssueAsync(Store, name, ApiKeyRole.Agent, "browser test agent", Actor.Cli("browser tests"), TimeProvider.System);
        var workspace = await Store.FindWorkspaceAsync(name);
        return new TestWorkspace(this, workspace!.Id, key);
    }

    /// <summary>The one-time setup link's token, while the server has no accounts.</summary>
    internal Task<string?> SetupTokenAsync() => Services.GetRequiredService<SetupLink>().TokenIfNeededAsync(CancellationToken.None);

    /// <summary>Waits (bounded) until a request is parked on the case, so that only what the test does next can wake it.</summary>
    internal async Task UntilSomeoneWaitsOnAsync(string caseId)
    {
        var notifier = Services.GetRequiredService<CaseNotifier>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Chromium.Patience);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (notifier.WatcherCount(caseId) == 0)
        {
            Assert.True(await tick.WaitForNextTickAsync(CancellationToken.None) && !timeout.IsCancellationRequested,
                $"no request started waiting on {caseId} within {Chromium.Patience.TotalSeconds} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
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
            // A file still held open must not fail the run; the temp folder is the OS's to clean.
        }
    }
}
