using System.Security.Claims;
using Bunit;
using Handoff.Core.Cases;
using Handoff.Server.Accounts;
using Handoff.Server.Auth;
using Handoff.Server.Dashboard;
using Handoff.Server.Policies;
using Handoff.Storage;
using Handoff.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Server.Tests.Dashboard;

/// <summary>
/// bUnit with the dashboard's real services over a real SQLite file of its own, a FakeTimeProvider, and a signed-in
/// person whose claims are those the sign-in cookie carries.
/// </summary>
internal sealed class DashboardTestContext : BunitContext
{
    private readonly string _directory;
    private bool _cleaned;

    private DashboardTestContext(string directory, SqliteHandoffStore store, FakeTimeProvider time)
    {
        _directory = directory;
        Store = store;
        Time = time;
        JSInterop.Mode = JSRuntimeMode.Loose;
        // A bound, not a measurement: live updates cross threads, and a loaded CI machine needs more than bUnit's 1 s.
        DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        Services.AddSingleton<IHandoffStore>(store);
        Services.AddSingleton<TimeProvider>(time);
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        Services.AddSingleton<PolicyService>();
        Services.AddSingleton<Handoff.Core.Learning.ITextEmbedder, Handoff.Embeddings.MiniLmEmbedder>();
        Services.AddSingleton<Handoff.Server.Learning.Precedents>();
        Services.AddSingleton<Handoff.Server.Learning.PolicyReplayService>();
        Services.AddSingleton<Handoff.Server.Learning.RecommendationService>();
        Services.AddOptions<HandoffServerOptions>();
        Services.AddSingleton<Handoff.Server.Learning.GateService>();
        Services.AddSingleton<AccountService>();
        Services.AddSingleton<Handoff.Server.Routing.PresenceService>();
        Services.AddSingleton<Handoff.Server.Routing.RoutingSignal>();
        Services.AddSingleton<Handoff.Server.Routing.NextCaseService>();
        Services.AddSingleton<ApiKeyCache>();
        Services.AddScoped<DashboardSession>();
        Services.AddScoped<Handoff.Server.Dashboard.Shared.LastDecision>();
        Authorization = AddAuthorization();
    }

    private Bunit.TestDoubles.BunitAuthorizationContext Authorization { get; }

    public static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    public SqliteHandoffStore Store { get; }

    public FakeTimeProvider Time { get; }

    public User User { get; private set; } = default!;

    public string WorkspaceId => User.WorkspaceId;

    public static async Task<DashboardTestContext> CreateAsync(UserRole role = UserRole.Admin)
    {
        var directory = Path.Combine(Path.GetTempPath(), "handoff-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var time = new FakeTimeProvider(Start);
        var store = new SqliteHandoffStore(Path.Combine(directory, "handoff.db"), time);
        await store.MigrateAsync(Xunit.TestContext.Current.CancellationToken);
        var context = new DashboardTestContext(directory, store, time);
        var workspace = await store.EnsureWorkspaceAsync("default", Actor.Cli("tests"), Xunit.TestContext.Current.CancellationToken);
        var (user, problem) = await new AccountService(store, NullLogger<AccountService>.Instance).AddAsync(
            new NewAccount(workspace.Id, "ada@example.com", "Ada Admin", role, ["support"], "correct horse battery"),
            Actor.Cli("tests"), first: false, Xunit.TestContext.Current.CancellationToken);
        Assert.True(user is not null, problem);
        context.User = user;
        var authorization = context.Authorization;
        // bUnit builds the principal's claims when SetAuthorized is called, from what was set before; the
        // authentication type only sticks when set after it.
        authorization.SetClaims([.. DashboardAuth.Principal(user).Claims.Where(c => c.Type is not (ClaimTypes.Name or ClaimTypes.Role))]);
        authorization.SetRoles(DashboardAuth.RoleName(role));
        authorization.SetAuthorized(user.Name);
        authorization.SetAuthenticationType(DashboardAuth.Scheme);
        return context;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            CleanUp();
        }
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        CleanUp();
    }

    private void CleanUp()
    {
        if (_cleaned)
        {
            return;
        }

        _cleaned = true;
        Store.Dispose();
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
}
