using System.Security.Claims;
using Handoff.Core.Cases;
using Handoff.Server.Accounts;
using Handoff.Server.Cases;
using Handoff.Server.Dashboard;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;
using Handoff.Tests.Shared;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Tests.Workers;

/// <summary>
/// A person opens a case (so claims it) on the dashboard, and their circuit's <see cref="ClaimRenewal"/> keeps the
/// claim alive; the real host's <see cref="Server.Workers.ClaimReleaseWorker"/> hands it back once no circuit renewed
/// it for the grace period (2 minutes by default). Time is the server's FakeTimeProvider.
/// </summary>
public sealed class ClaimReleaseWorkerTests
{
    private static readonly TimeSpan Grace = new HandoffServerOptions().ClaimGracePeriod;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CircuitCloses_AfterTheGracePeriod_TheCaseIsPendingAndUnclaimedAgain()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        var (user, caseId) = await OpenACaseAsync(server);
        var renewal = Renewal(server, user);
        await renewal.OnConnectionUpAsync(null!, Ct);

        await renewal.OnCircuitClosedAsync(null!, Ct);
        server.Time.Advance(Grace);

        var released = await UntilReleasedAsync(server, user.WorkspaceId, caseId);
        Assert.Equal(CaseStatus.Pending, released.Status);
        var entry = (await server.Store.GetCaseHistoryAsync(user.WorkspaceId, caseId, Ct))[^1];
        Assert.Equal(("case.released", "system"), (entry.Action, entry.ActorKind));
        Assert.Contains("not seen for 120 s", entry.Data, StringComparison.Ordinal);
        Assert.Contains("\"idleTimeoutSeconds\":120", entry.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATakeoverWhosePersonLeft_AfterTheGracePeriod_IsEscalatedBackToTheQueue_AndTheAgentsWaitWakes()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        var (user, caseId) = await OpenACaseAsync(server);
        var cases = server.App.Services.GetRequiredService<CaseService>();
        Assert.Equal(CaseUpdateStatus.Updated, (await cases.TakeOverAsync(user.WorkspaceId, caseId, DashboardSession.ActorOf(user), Ct)).Status);
        var waiter = server.App.Services.GetRequiredService<Server.Events.CaseWaiter>();
        var waiting = waiter.WaitForMessagesAsync(user.WorkspaceId, caseId, 0, TimeSpan.FromHours(1), Ct);
        var renewal = Renewal(server, user);
        await renewal.OnConnectionUpAsync(null!, Ct);
        await renewal.OnCircuitClosedAsync(null!, Ct);

        server.Time.Advance(Grace);

        var released = await UntilReleasedAsync(server, user.WorkspaceId, caseId);
        Assert.Equal(CaseStatus.Escalated, released.Status);
        Assert.Equal(CaseStatus.Escalated, (await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct))!.Status);
    }

    [Fact]
    public async Task ConnectionDropsAndComesBackWithinTheGrace_TheClaimIsKeptUntilAGraceAfterTheLastRenewal()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        var (user, caseId) = await OpenACaseAsync(server);
        var start = server.Time.GetUtcNow();
        var renewal = Renewal(server, user);
        await renewal.OnConnectionUpAsync(null!, Ct);
        await renewal.OnConnectionDownAsync(null!, Ct);
        server.Time.Advance(Grace / 2);

        await renewal.OnConnectionUpAsync(null!, Ct);

        Assert.Equal(start + Grace / 2, await server.Store.GetOldestClaimSeenAsync(Ct));
        await renewal.OnConnectionDownAsync(null!, Ct);
        server.Time.Advance(Grace / 2 + TimeSpan.FromSeconds(1));
        Assert.Equal(user.Id, (await server.Store.GetCaseAsync(user.WorkspaceId, caseId, Ct))!.AssignedTo?.Id);
        server.Time.Advance(Grace / 2);
        await UntilReleasedAsync(server, user.WorkspaceId, caseId);
        Assert.Equal(start + Grace + Grace / 2 + TimeSpan.FromSeconds(1), (await server.Store.GetCaseHistoryAsync(user.WorkspaceId, caseId, Ct))[^1].At);
    }

    [Fact]
    public async Task OpenCircuit_RenewsOnItsOwnAndTheClaimOutlivesTheGrace()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        var (user, caseId) = await OpenACaseAsync(server);
        var renewal = Renewal(server, user);
        await renewal.OnConnectionUpAsync(null!, Ct);
        var interval = new HandoffServerOptions().ClaimRenewalInterval;

        for (var i = 0; i < 3 * Grace / interval; i++)
        {
            var seen = await server.Store.GetOldestClaimSeenAsync(Ct);
            server.Time.Advance(interval);
            for (var tries = 0; tries < 500 && await server.Store.GetOldestClaimSeenAsync(Ct) == seen; tries++)
            {
                await Task.Delay(10, Ct);
            }
        }

        Assert.Equal(user.Id, (await server.Store.GetCaseAsync(user.WorkspaceId, caseId, Ct))!.AssignedTo?.Id);
        Assert.Equal(server.Time.GetUtcNow(), await server.Store.GetOldestClaimSeenAsync(Ct));
    }

    [Fact]
    public async Task OpenCircuit_SeesItsPerson_AndOnceItClosesAnOnlinePersonTurnsAwayAfterAwayAfter()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        var (user, _) = await OpenACaseAsync(server);
        await server.Store.SetPresenceAsync(user.WorkspaceId, user.Id, Core.Routing.Presence.Online, DashboardSession.ActorOf(user), Ct);
        var presence = server.App.Services.GetRequiredService<Server.Routing.PresenceService>();
        var awayAfter = Handoff.Storage.RoutingSettings.Default.AwayAfter;
        var renewal = Renewal(server, user);
        server.Time.Advance(TimeSpan.FromMinutes(10));

        await renewal.OnConnectionUpAsync(null!, Ct);
        var seen = await presence.GetAsync(user.WorkspaceId, user.Id, Ct);
        await renewal.OnCircuitClosedAsync(null!, Ct);
        server.Time.Advance(awayAfter);
        var justInTime = await presence.GetAsync(user.WorkspaceId, user.Id, Ct);
        server.Time.Advance(TimeSpan.FromSeconds(1));
        var gone = await presence.GetAsync(user.WorkspaceId, user.Id, Ct);

        Assert.Equal(server.Time.GetUtcNow() - awayAfter - TimeSpan.FromSeconds(1), seen!.Value.Stored.LastSeenAt);
        Assert.Equal(Core.Routing.Presence.Online, seen.Value.Effective);
        Assert.Equal(Core.Routing.Presence.Online, justInTime!.Value.Effective);
        Assert.Equal((Core.Routing.Presence.Away, Core.Routing.Presence.Online), (gone!.Value.Effective, gone.Value.Stored.Chosen));
    }

    [Fact]
    public async Task ServerRestarts_AClaimNobodyRenewsIsReleasedByTheNextServer()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        var (user, caseId) = await OpenACaseAsync(server);

        await server.StopAsync();
        server.Time.Advance(Grace);
        await server.StartAgainAsync();

        Assert.Null((await UntilReleasedAsync(server, user.WorkspaceId, caseId)).AssignedTo);
    }

    [Fact]
    public async Task CircuitCloses_InATeamWithAShorterIdleTimeout_TheCaseReturnsAfterTheTeamsTimeout()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        var (user, caseId) = await OpenACaseAsync(server);
        await SetTeamAsync(server, user.WorkspaceId, caseId, TimeSpan.FromMinutes(1));
        var start = server.Time.GetUtcNow();
        var renewal = Renewal(server, user);
        await renewal.OnConnectionUpAsync(null!, Ct);

        await renewal.OnCircuitClosedAsync(null!, Ct);
        server.Time.Advance(TimeSpan.FromMinutes(1));

        await UntilReleasedAsync(server, user.WorkspaceId, caseId);
        var entry = (await server.Store.GetCaseHistoryAsync(user.WorkspaceId, caseId, Ct))[^1];
        Assert.Equal(("case.released", start.AddMinutes(1)), (entry.Action, entry.At));
        Assert.Contains("\"idleTimeoutSeconds\":60", entry.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CircuitCloses_InATeamWithALongerIdleTimeout_TheCaseOutlivesTheDefaultGrace()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        var (user, caseId) = await OpenACaseAsync(server);
        await SetTeamAsync(server, user.WorkspaceId, caseId, TimeSpan.FromMinutes(10));
        var start = server.Time.GetUtcNow();
        var renewal = Renewal(server, user);
        await renewal.OnConnectionUpAsync(null!, Ct);
        await renewal.OnCircuitClosedAsync(null!, Ct);

        server.Time.Advance(Grace);
        // The worker wakes at the grace and at every poll; the claim must survive each of those looks.
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(50, Ct);
            server.Time.Advance(new HandoffServerOptions().ClaimRenewalInterval);
        }

        Assert.Equal(user.Id, (await server.Store.GetCaseAsync(user.WorkspaceId, caseId, Ct))!.AssignedTo?.Id);
        server.Time.Advance(start.AddMinutes(10) - server.Time.GetUtcNow());
        await UntilReleasedAsync(server, user.WorkspaceId, caseId);
        Assert.Equal(start.AddMinutes(10), (await server.Store.GetCaseHistoryAsync(user.WorkspaceId, caseId, Ct))[^1].At);
    }

    [Fact]
    public async Task OpenCircuit_InATeamWithAShortIdleTimeout_KeepsTheClaimByRenewing()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        var (user, caseId) = await OpenACaseAsync(server);
        await SetTeamAsync(server, user.WorkspaceId, caseId, TimeSpan.FromMinutes(1));
        var renewal = Renewal(server, user);
        await renewal.OnConnectionUpAsync(null!, Ct);
        var interval = new HandoffServerOptions().ClaimRenewalInterval;

        for (var i = 0; i < 10; i++)
        {
            var seen = await server.Store.GetOldestClaimSeenAsync(Ct);
            server.Time.Advance(interval);
            for (var tries = 0; tries < 500 && await server.Store.GetOldestClaimSeenAsync(Ct) == seen; tries++)
            {
                await Task.Delay(10, Ct);
            }
        }

        Assert.Equal(user.Id, (await server.Store.GetCaseAsync(user.WorkspaceId, caseId, Ct))!.AssignedTo?.Id);
    }

    [Fact]
    public async Task IdleClaimInAPushTeam_IsOfferedAgainToAnotherOnlineMember()
    {
        await using var server = await LoopbackHandoff.StartAsync(o => o.RoutingSweepInterval = TimeSpan.FromHours(1));
        var (user, caseId) = await OpenACaseAsync(server);
        var team = await SetTeamAsync(server, user.WorkspaceId, caseId, TimeSpan.FromMinutes(1), Core.Routing.AssignmentMode.Push);
        var sam = (await server.Store.AddUserAsync(
            new NewUser(user.WorkspaceId, "sam@example.com", "Sam", UserRole.Reviewer, [team], "h"), Actor.Cli("tests"), Ct))!;
        await server.Store.SetPresenceAsync(user.WorkspaceId, sam.Id, Core.Routing.Presence.Online, Actor.Cli("tests"), Ct);

        server.Time.Advance(TimeSpan.FromMinutes(1));

        for (var i = 0; i < 1000 && (await server.Store.GetCaseAsync(user.WorkspaceId, caseId, Ct))!.Offer is null; i++)
        {
            await Task.Delay(10, Ct);
        }

        var offered = (await server.Store.GetCaseAsync(user.WorkspaceId, caseId, Ct))!;
        Assert.Equal((sam.Id, (Actor?)null), (offered.Offer?.To.Id, offered.AssignedTo));
    }

    /// <summary>Makes the case's team a team of the workspace with its own idle-claim timeout; returns its name.</summary>
    private static async Task<string> SetTeamAsync(
        LoopbackHandoff server, string workspaceId, string caseId, TimeSpan idle, Core.Routing.AssignmentMode mode = Core.Routing.AssignmentMode.Pull)
    {
        var name = (await server.Store.GetCaseAsync(workspaceId, caseId, Ct))!.Evaluation.Team;
        var team = new Team { WorkspaceId = workspaceId, Name = name, DisplayName = name, Mode = mode, IdleClaimTimeout = idle };
        var result = await server.Store.AddTeamAsync(team, Actor.Cli("tests"), Ct);
        if (result.Status == TeamResultStatus.NameTaken)
        {
            result = await server.Store.UpdateTeamAsync(team, Actor.Cli("tests"), Ct);
        }

        Assert.Equal(TeamResultStatus.Done, result.Status);
        return name;
    }

    /// <summary>A reviewer account, and a case an agent submitted that the reviewer opened (so claimed) on the dashboard.</summary>
    private static async Task<(User User, string CaseId)> OpenACaseAsync(LoopbackHandoff server)
    {
        var agent = server.Client(await server.IssueKeyAsync(ApiKeyRole.Agent, "support bot"));
        var caseId = await TestCases.SubmitPendingAsync(agent);
        var workspace = (await server.Store.FindWorkspaceAsync("default", Ct))!;
        var (user, problem) = await server.App.Services.GetRequiredService<AccountService>().AddAsync(
            new NewAccount(workspace.Id, "rita@example.com", "Rita Reviewer", UserRole.Reviewer, [], "correct horse battery"), Actor.Cli("tests"), first: false, Ct);
        Assert.True(user is not null, problem);
        var claim = await server.App.Services.GetRequiredService<CaseService>().ClaimAsync(workspace.Id, caseId, DashboardSession.ActorOf(user), Ct);
        Assert.Equal(CaseUpdateStatus.Updated, claim.Status);
        return (user, caseId);
    }

    // The circuit handler as the framework makes one per circuit, with the person the circuit is signed in as.
    private static ClaimRenewal Renewal(LoopbackHandoff server, User user)
    {
        var services = server.App.Services;
        var session = new DashboardSession(new SignedIn(DashboardAuth.Principal(user)), server.Store);
        return new ClaimRenewal(session, server.Store, server.Time, services.GetRequiredService<IOptions<HandoffServerOptions>>(), NullLogger<ClaimRenewal>.Instance);
    }

    // The worker runs on its own; the bound only keeps a broken build from hanging.
    private static async Task<HandoffCase> UntilReleasedAsync(LoopbackHandoff server, string workspaceId, string caseId)
    {
        for (var i = 0; i < 1000; i++)
        {
            var c = (await server.Store.GetCaseAsync(workspaceId, caseId, Ct))!;
            if (c.AssignedTo is null)
            {
                return c;
            }

            await Task.Delay(10, Ct);
        }

        throw new TimeoutException($"Case {caseId} was never released.");
    }

    private sealed class SignedIn(ClaimsPrincipal principal) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(principal));
    }
}
