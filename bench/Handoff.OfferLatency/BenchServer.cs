using Handoff.Core.Cases;
using Handoff.Server;
using Handoff.Server.Accounts;
using Handoff.Server.Auth;
using Handoff.Server.Hosting;
using Handoff.Server.Policies;
using Handoff.Storage;
using Microsoft.AspNetCore.Builder;

namespace Handoff.OfferLatency;

/// <summary>
/// A real Handoff server, as the browser tests start one (tests/Handoff.Browser.Tests/Infrastructure/DashboardServer.cs,
/// copied in its essentials since a benchmark must not reference a test project): Kestrel on 127.0.0.1, a random port,
/// a SQLite file in a temp folder, the system clock, and a workspace of its own with an agent key.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly WebApplication _app;

    private BenchServer(WebApplication app, Uri address, string directory)
    {
        _app = app;
        Address = address;
        _directory = directory;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public IHandoffStore Store => Services.GetRequiredService<IHandoffStore>();

    public static async Task<BenchServer> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "handoff-offer-latency", Guid.NewGuid().ToString("N"));
        var app = HandoffServer.Build([], new HandoffServerOptions { DataDirectory = directory },
            services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)));
        app.Urls.Add("http://127.0.0.1:0");
        await app.InitializeAsync();
        await app.StartAsync();
        return new BenchServer(app, app.ListeningAddress(), directory);
    }

    /// <summary>A workspace with an agent key; returns its id and the key.</summary>
    public async Task<(string WorkspaceId, string AgentKey)> NewWorkspaceAsync()
    {
        var name = "bench-" + Guid.NewGuid().ToString("N")[..12];
        var key = await ApiKeys.IssueAsync(Store, name, ApiKeyRole.Agent, "offer latency agent", Actor.Cli("offer latency"), TimeProvider.System);
        var workspace = await Store.FindWorkspaceAsync(name);
        return (workspace!.Id, key);
    }

    public async Task AddTeamAsync(Team team)
    {
        var result = await Store.AddTeamAsync(team, Actor.Cli("offer latency"), CancellationToken.None);
        if (result.Status != TeamResultStatus.Done)
        {
            throw new InvalidOperationException($"could not add team {team.Name}: {result.Status}");
        }
    }

    public async Task PublishPolicyAsync(string workspaceId, string yaml)
    {
        var (published, problems, _) = await Services.GetRequiredService<PolicyService>()
            .PublishAsync(workspaceId, yaml, Actor.Cli("offer latency"), CancellationToken.None);
        if (published is null)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }
    }

    /// <summary>Adds a dashboard account the way <c>handoff users add</c> does.</summary>
    public async Task<User> AddPersonAsync(string workspaceId, string email, string name, string password, params string[] teams)
    {
        var accounts = Services.GetRequiredService<AccountService>();
        var (user, problem) = await accounts.AddAsync(new NewAccount(workspaceId, email, name, UserRole.Reviewer, teams, password),
            Actor.Cli("offer latency"), first: false, CancellationToken.None);
        return user ?? throw new InvalidOperationException(problem);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the run; the temp folder is the OS's to clean.
        }
    }
}
