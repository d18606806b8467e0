using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Storage.Postgres;
using Handoff.Tests.Shared;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Handoff.Storage.Tests.Postgres;

/// <summary>
/// What only PostgreSQL promises: several stores (one per node) on one database, and surviving a database that goes
/// away under load.
/// </summary>
public sealed class PostgresNodesTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(Start);
    private int _acknowledged;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Migrate_FromSeveralNodesAtOnce_AppliesEachVersionOnce()
    {
        var nodes = Enumerable.Range(0, 4).Select(_ => _database.Open(_time)).ToList();

        await Task.WhenAll(nodes.Select(node => Task.Run(() => node.MigrateAsync(Ct), Ct)));

        Assert.Equal((long)PostgresMigrations.Known.Count, _database.Execute("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task ClaimsAndDecisions_RacingAcrossNodes_HaveExactlyOneWinnerEach_AndTheChainVerifies()
    {
        var nodes = Enumerable.Range(0, 3).Select(_ => _database.Open(_time)).ToList();
        await nodes[0].MigrateAsync(Ct);
        var workspace = await nodes[0].EnsureWorkspaceAsync("acme", Actor.System, Ct);
        var cases = new List<HandoffCase>();
        for (var i = 0; i < 30; i++)
        {
            cases.Add((await nodes[i % 3].CreateCaseAsync(Cases.Pending(workspace.Id, _time.GetUtcNow()), Ct)).Case);
        }

        var people = Enumerable.Range(0, 6).Select(i => new Actor("user", $"u{i}", $"Person {i}")).ToList();
        var claims = await Task.WhenAll(cases.SelectMany(c => people.Select((person, i) =>
            Task.Run(() => nodes[i % 3].ClaimCaseAsync(workspace.Id, c.Id, person, _time.GetUtcNow(), Ct), Ct))));
        var decisions = await Task.WhenAll(cases.SelectMany(c => people.Select((person, i) =>
            Task.Run(() => nodes[(i + 1) % 3].DecideCaseAsync(workspace.Id, c.Id, Cases.Approval(person, _time.GetUtcNow()), CaseStatus.Approved, Ct), Ct))));

        Assert.Equal(cases.Count, claims.Count(c => c.Status == CaseUpdateStatus.Updated));
        Assert.Equal(cases.Count, decisions.Count(d => d.Status == CaseUpdateStatus.Updated));
        foreach (var c in cases)
        {
            var stored = await nodes[2].GetCaseAsync(workspace.Id, c.Id, Ct);
            Assert.Equal(CaseStatus.Approved, stored!.Status);
            // Only the one who holds the case may decide it: the winner of the claim.
            Assert.Equal(stored.AssignedTo, stored.Decision!.DecidedBy);
        }

        var audit = await nodes[1].ReadSealedAuditAsync(0, 10_000, Ct);
        Assert.True(AuditChain.Verify(audit).Intact);
        Assert.Equal(cases.Count, audit.Count(e => e.Action == AuditData.CaseDecided));
        Assert.Equal(cases.Count, audit.Count(e => e.Action == AuditData.CaseClaimed));
    }

    [Fact]
    public async Task RollUps_RacingAcrossNodesWhileCasesClose_CountEachClosedCaseOnce()
    {
        var nodes = Enumerable.Range(0, 3).Select(_ => _database.Open(_time)).ToList();
        await nodes[0].MigrateAsync(Ct);
        var workspace = await nodes[0].EnsureWorkspaceAsync("acme", Actor.System, Ct);
        var cases = new List<HandoffCase>();
        for (var i = 0; i < 60; i++)
        {
            cases.Add((await nodes[i % 3].CreateCaseAsync(Cases.Pending(workspace.Id, _time.GetUtcNow()), Ct)).Case);
        }

        // Every node rolls up in small batches while the nodes decide two cases in three.
        var deciding = Task.WhenAll(cases.Where((_, i) => i % 3 != 0).Select((c, i) =>
            Task.Run(() => nodes[i % 3].DecideCaseAsync(workspace.Id, c.Id, Cases.Approval(new Actor("user", "u1", "Rita"), _time.GetUtcNow()), CaseStatus.Approved, Ct), Ct)));
        var rollingUp = Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            while (!deciding.IsCompleted || await node.SealAndRollUpAsync(3, Ct) > 0)
            {
                await node.SealAndRollUpAsync(3, Ct);
            }
        }, Ct)));
        await deciding;
        await rollingUp;

        var facts = await nodes[1].GetOverviewFactsAsync(workspace.Id, Start.AddDays(-1), Ct);
        Assert.Equal(40, facts.ClosedDays.Sum(static d => d.Counts.Submitted));
        Assert.Equal(40, facts.ClosedDays.Sum(static d => d.DecisionsByVerdict.Values.Sum()));
        Assert.Equal(20, facts.Records.Count);
        Assert.All(facts.Records, static r => Assert.Equal(CaseStatus.Pending, r.Status));
    }

    [Fact]
    public async Task NextCase_PressedOnSeveralNodesAtOnce_GivesEachCaseToOnePerson_AndNobodyGoesOverCapacity()
    {
        var nodes = Enumerable.Range(0, 3).Select(_ => _database.Open(_time)).ToList();
        await nodes[0].MigrateAsync(Ct);
        var workspace = await nodes[0].EnsureWorkspaceAsync("acme", Actor.System, Ct);
        await nodes[0].AddTeamAsync(new Team { WorkspaceId = workspace.Id, Name = "sales", DisplayName = "Sales", Mode = Core.Routing.AssignmentMode.Pull }, Actor.System, Ct);
        var people = new List<User>();
        for (var i = 0; i < 6; i++)
        {
            people.Add((await nodes[0].AddUserAsync(
                new NewUser(workspace.Id, $"p{i}@example.com", $"Person {i}", UserRole.Reviewer, ["sales"], "hash") { Capacity = 3 }, Actor.System, Ct))!);
        }

        var cases = new List<HandoffCase>();
        for (var i = 0; i < 15; i++)
        {
            cases.Add((await nodes[i % 3].CreateCaseAsync(Cases.Pending(workspace.Id, _time.GetUtcNow()), Ct)).Case);
        }

        // Every person presses five times, each press on another node: 30 asks for 15 cases and 18 units of capacity.
        var results = await Task.WhenAll(people.SelectMany((person, p) => Enumerable.Range(0, 5).Select(press =>
            Task.Run(() => nodes[(p + press) % 3].TakeNextCaseAsync(
                workspace.Id, person.Id, null, new Actor(Actor.UserKind, person.Id, person.Name), _time.GetUtcNow(), Ct), Ct))));

        var taken = results.Where(r => r.Status == NextCaseStatus.Taken).Select(r => r.Case!).ToList();
        Assert.Equal(cases.Count, taken.Count);
        Assert.Equal(cases.Count, taken.Select(c => c.Id).Distinct().Count());
        Assert.All(taken.GroupBy(c => c.AssignedTo!.Id), held => Assert.True(held.Count() <= 3, $"{held.Key} holds {held.Count()}"));
        foreach (var c in taken)
        {
            Assert.Equal(c.AssignedTo, (await nodes[1].GetCaseAsync(workspace.Id, c.Id, Ct))!.AssignedTo);
        }

        var audit = await nodes[2].ReadSealedAuditAsync(0, 10_000, Ct);
        Assert.True(AuditChain.Verify(audit).Intact);
        Assert.Equal(cases.Count, audit.Count(e => e.Action == AuditData.CaseClaimed));
    }

    [Fact]
    public async Task OffersAcceptedAndClaimed_RacingAcrossNodes_GiveEachCaseOneOwner_AndNobodyAcceptsOverCapacity()
    {
        var nodes = Enumerable.Range(0, 3).Select(_ => _database.Open(_time)).ToList();
        await nodes[0].MigrateAsync(Ct);

        // Each node has its own writer; the capacity check holds only because it is read inside the cluster-wide write turn.
        await RoutingRace.Races.SampleAsync(race => RoutingRace.RunAsync(nodes, race, Ct), iter: 20, threads: 1);
    }

    [Fact]
    public async Task KilledConnections_MidLoad_AreReplaced_AndNoAcknowledgedCaseIsLost()
    {
        var application = $"handoff-kill-{Guid.NewGuid():N}"[..40];
        var connectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { ApplicationName = application }.ConnectionString;
        using var store = new PostgresHandoffStore(NpgsqlDataSource.Create(connectionString), _time, ownsDataSource: true);
        await store.MigrateAsync(Ct);
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);

        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() => WriteUntilStoppedAsync(store, workspace.Id, $"w{w}", stop.Token), Ct)).ToList();
        for (var round = 0; round < 5; round++)
        {
            await Task.Delay(200, Ct);
            _database.Execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @app", ("app", application));
        }

        await Task.Delay(300, Ct);
        await stop.CancelAsync();
        var results = await Task.WhenAll(writers);

        await AssertEveryAcknowledgedCaseIsStoredOnceAsync(store, workspace.Id, results);
    }

    [Fact]
    public async Task DatabaseRestart_MidLoad_IsSurvived_AndNoAcknowledgedCaseIsLost()
    {
        // A PostgreSQL of this test's own, so that restarting it disturbs no other test.
        var database = new PostgresScript();
        try
        {
            var server = await database.StartAsync();
            using var store = new PostgresHandoffStore(PostgresConnection.CreateDataSource(server), _time, ownsDataSource: true);
            await store.MigrateAsync(Ct);
            var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() => WriteUntilStoppedAsync(store, workspace.Id, $"w{w}", stop.Token), Ct)).ToList();
            var startedBefore = await ServerStartAsync(server);
            await Task.Delay(500, Ct);
            await database.RestartAsync();
            var acknowledgedBeforeRestart = Volatile.Read(ref _acknowledged);
            await Task.Delay(1_000, Ct);
            await stop.CancelAsync();
            var results = await Task.WhenAll(writers);

            Assert.NotEqual(startedBefore, await ServerStartAsync(server));
            // The store carried on by itself: cases were acknowledged after the restart.
            Assert.True(Volatile.Read(ref _acknowledged) > acknowledgedBeforeRestart);
            await AssertEveryAcknowledgedCaseIsStoredOnceAsync(store, workspace.Id, results);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await database.DestroyAsync();
        }
    }

    [Fact]
    public async Task DatabaseRestart_AReadOnAPooledConnectionItDropped_RunsAgainOnANewOne()
    {
        var database = new PostgresScript();
        try
        {
            using var store = new PostgresHandoffStore(PostgresConnection.CreateDataSource(await database.StartAsync()), _time, ownsDataSource: true);
            await store.MigrateAsync(Ct);
            var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);
            Assert.NotNull(await store.FindWorkspaceAsync("acme", Ct)); // leaves an idle connection in the pool

            await database.RestartAsync();

            Assert.Equal(workspace, await store.FindWorkspaceAsync("acme", Ct));
            Assert.Null(await store.GetNextExpiryAsync(Ct));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await database.DestroyAsync();
        }
    }

    /// <summary>
    /// Creates cases one after another, each with an idempotency key, retrying a failed one with the same key (as an
    /// agent does) until it is acknowledged; returns the acknowledged ids and how many attempts failed.
    /// </summary>
    private async Task<(List<string> Acknowledged, int Failures)> WriteUntilStoppedAsync(IHandoffStore store, string workspaceId, string writer, CancellationToken stop)
    {
        var acknowledged = new List<string>();
        var failures = 0;
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var newCase = Cases.Pending(workspaceId, _time.GetUtcNow()) with { IdempotencyKey = $"{writer}-{i}" };
            while (true)
            {
                try
                {
                    var result = await store.CreateCaseAsync(newCase, CancellationToken.None);
                    acknowledged.Add(result.Case.Id);
                    Interlocked.Increment(ref _acknowledged);
                    break;
                }
                catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
                {
                    failures++;
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        }

        return (acknowledged, failures);
    }

    private async Task AssertEveryAcknowledgedCaseIsStoredOnceAsync(IHandoffStore store, string workspaceId, (List<string> Acknowledged, int Failures)[] results)
    {
        var acknowledged = results.SelectMany(r => r.Acknowledged).ToList();
        Assert.NotEmpty(acknowledged);
        Assert.Equal(acknowledged.Count, acknowledged.Distinct().Count());
        foreach (var id in acknowledged)
        {
            Assert.NotNull(await store.GetCaseAsync(workspaceId, id, Ct));
        }

        var audit = await store.ReadSealedAuditAsync(0, 10_000, Ct);
        Assert.True(AuditChain.Verify(audit).Intact);
        // A retried write whose first attempt had committed after all found its case by the key: no case twice.
        Assert.Equal(acknowledged.Count, audit.Count(e => e.Action == AuditData.CaseCreated));
    }

    private static async Task<DateTime> ServerStartAsync(string server)
    {
        await using var connection = new NpgsqlConnection(PostgresConnection.ToConnectionString(server) + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT pg_postmaster_start_time()", connection);
        return (DateTime)(await command.ExecuteScalarAsync(Ct))!;
    }
}
