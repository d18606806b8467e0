using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Storage.Postgres;
using Handoff.Storage.Relational;
using Handoff.Tests.Shared;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Handoff.Storage.Tests.Postgres;

/// <summary>
/// Writes of different cases no longer take turns across the cluster: a submission, claim, decision or "next case"
/// waits only for writes of the same case, person or idempotency key, and for writes of the whole store. What the
/// single write lock promised must still hold with the nodes writing side by side.
/// </summary>
public sealed class PostgresScopedWritesTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AClaim_WaitsForAWriteOfItsCase_ButNotForAWriteOfAnother()
    {
        var (store, application) = OpenNamed();
        using var _ = store;
        await store.MigrateAsync(Ct);
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);
        var held = (await store.CreateCaseAsync(Cases.Pending(workspace.Id, Start), Ct)).Case;
        var other = (await store.CreateCaseAsync(Cases.Pending(workspace.Id, Start), Ct)).Case;
        var rita = new Actor(Actor.UserKind, "u1", "Rita");

        await using (var elsewhere = await HoldAsync(WriteScope.Case(workspace.Id, held.Id)))
        {
            // Another case's claim goes through while the held case's lock is taken elsewhere.
            Assert.Equal(CaseUpdateStatus.Updated, (await store.ClaimCaseAsync(workspace.Id, other.Id, rita, Start, Ct)).Status);

            var claim = store.ClaimCaseAsync(workspace.Id, held.Id, rita, Start, Ct);
            await WaitUntilWaitingAsync(application, WriteScope.Case(workspace.Id, held.Id), claim);
            Assert.False(claim.IsCompleted);

            await elsewhere.CommitAsync(Ct);
            Assert.Equal(CaseUpdateStatus.Updated, (await claim).Status);
        }
    }

    [Fact]
    public async Task AClaim_WaitsForAWriteOfTheWholeStore()
    {
        var (store, application) = OpenNamed();
        using var _ = store;
        await store.MigrateAsync(Ct);
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);
        var pending = (await store.CreateCaseAsync(Cases.Pending(workspace.Id, Start), Ct)).Case;

        await using var elsewhere = await HoldAsync(AdvisoryLock.Writes);
        var claim = store.ClaimCaseAsync(workspace.Id, pending.Id, new Actor(Actor.UserKind, "u1", "Rita"), Start, Ct);
        await WaitUntilWaitingAsync(application, AdvisoryLock.Writes, claim);
        Assert.False(claim.IsCompleted);

        await elsewhere.CommitAsync(Ct);
        Assert.Equal(CaseUpdateStatus.Updated, (await claim).Status);
    }

    [Fact]
    public async Task NextCase_PassesOverACaseSomeoneElseIsChanging_WithoutWaitingForIt()
    {
        var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var (workspace, people) = await PullTeamAsync(store, capacity: 5, count: 1);
        var first = (await store.CreateCaseAsync(Cases.Pending(workspace, Start), Ct)).Case;
        var second = (await store.CreateCaseAsync(Cases.Pending(workspace, Start.AddSeconds(1)), Ct)).Case;
        var person = people[0];

        await using (var elsewhere = await HoldAsync(WriteScope.Case(workspace, first.Id)))
        {
            var next = await store.TakeNextCaseAsync(workspace, person.Id, null, person, Start.AddMinutes(1), Ct);
            Assert.Equal(NextCaseStatus.Taken, next.Status);
            Assert.Equal(second.Id, next.Case!.Id);
        }

        // Once nobody else is changing it, the first case is theirs to take too.
        var then = await store.TakeNextCaseAsync(workspace, person.Id, null, person, Start.AddMinutes(1), Ct);
        Assert.Equal(first.Id, then.Case!.Id);
    }

    [Fact]
    public async Task ClaimsAndNextCase_ForOnePersonOnSeveralNodesAtOnce_NeverTakeThemOverCapacity()
    {
        var nodes = await ThreeNodesAsync();
        // A race lost only now and then: several rounds, each in a workspace of its own.
        for (var round = 0; round < 20; round++)
        {
            await RaceForCapacityAsync(nodes);
        }

        await nodes[2].SealAllAsync(Ct);
        Assert.True(AuditChain.Verify(await nodes[2].ReadSealedAuditAsync(0, 10_000, Ct)).Intact);
    }

    private async Task RaceForCapacityAsync(IReadOnlyList<IHandoffStore> nodes)
    {
        var (workspace, people) = await PullTeamAsync(nodes[0], capacity: 2, count: 3);
        var cases = new List<HandoffCase>();
        for (var i = 0; i < 12; i++)
        {
            cases.Add((await nodes[i % 3].CreateCaseAsync(Cases.Pending(workspace, Start.AddSeconds(i)), Ct)).Case);
        }

        // Each person claims every case by its id and presses "next case" four times, spread over the nodes: 48 asks
        // each for 2 units of capacity.
        var asks = people.SelectMany((person, p) =>
            cases.Select((c, i) => (Func<Task<(string, string)?>>)(async () =>
                (await nodes[(p + i) % 3].ClaimCaseAsync(workspace, c.Id, person, Start.AddMinutes(1), Ct)).Status == CaseUpdateStatus.Updated ? (person.Id, c.Id) : null))
            .Concat(Enumerable.Range(0, 4).Select(press => (Func<Task<(string, string)?>>)(async () =>
                (await nodes[(p + press) % 3].TakeNextCaseAsync(workspace, person.Id, null, person, Start.AddMinutes(1), Ct)).Case is { } next ? (person.Id, next.Id) : null))));
        var answers = await Task.WhenAll(asks.Select(ask => Task.Run(ask, Ct)));

        var held = new List<(string, string)>();
        foreach (var c in cases)
        {
            if ((await nodes[1].GetCaseAsync(workspace, c.Id, Ct))!.AssignedTo is { } holder)
            {
                held.Add((holder.Id, c.Id));
            }
        }

        // Every person has as many cases as they can hold, and every ask that said "yours" says what is stored (a claim
        // of a case one already holds says so again, and changes nothing).
        Assert.All(people, person => Assert.Equal(2, held.Count(h => h.Item1 == person.Id)));
        Assert.Equal(held.Order(), answers.OfType<(string, string)>().Distinct().Order());
        await nodes[2].SealAllAsync(Ct);
        var audit = await nodes[2].SearchSealedAuditAsync(workspace, new AuditQuery { Limit = 200 }, Ct);
        Assert.Equal(6, audit.Count(e => e.Action == AuditData.CaseClaimed));
    }

    [Fact]
    public async Task Submissions_WithOneIdempotencyKey_OnSeveralNodesAtOnce_StoreOneCase()
    {
        var nodes = await ThreeNodesAsync();
        var workspace = await nodes[0].EnsureWorkspaceAsync("acme", Actor.System, Ct);

        for (var round = 0; round < 5; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(
                () => nodes[i % 3].CreateCaseAsync(Cases.Pending(workspace.Id, Start) with { IdempotencyKey = $"order-{round}" }, Ct), Ct)));

            Assert.Single(results, r => r.Created);
            Assert.Single(results.Select(r => r.Case.Id).Distinct());
        }

        await nodes[1].SealAllAsync(Ct);
        var audit = await nodes[1].ReadSealedAuditAsync(0, 10_000, Ct);
        Assert.True(AuditChain.Verify(audit).Intact);
        Assert.Equal(5, audit.Count(e => e.Action == AuditData.CaseCreated));
    }

    [Fact]
    public async Task Dispatchers_OnSeveralNodesAtOnce_EnqueueEachStretchOfTheLogOnce()
    {
        var nodes = await ThreeNodesAsync();
        var workspace = await nodes[0].EnsureWorkspaceAsync("acme", Actor.System, Ct);

        for (var from = 0L; from < 10; from++)
        {
            var stretch = from;
            var won = await Task.WhenAll(nodes.Select((node, n) => Task.Run(
                () => node.EnqueueAsync(stretch, stretch + 1, [new Outbox.NewDelivery($"evt_{stretch}", "case.escalated", workspace.Id, null, "email", $"n{n}@example.com", "{}")], Ct), Ct)));
            Assert.Single(won, static w => w);
        }

        Assert.Equal(10L, await nodes[1].GetDispatchPositionAsync(Ct));
        Assert.Equal(10L, Convert.ToInt64(_database.Execute("SELECT count(*) FROM outbox"), System.Globalization.CultureInfo.InvariantCulture));
    }

    // Three stores, as three nodes would open, on one migrated schema.
    private async Task<List<PostgresHandoffStore>> ThreeNodesAsync()
    {
        var nodes = Enumerable.Range(0, 3).Select(_ => _database.Open(_time)).ToList();
        await nodes[0].MigrateAsync(Ct);
        return nodes;
    }

    private (PostgresHandoffStore Store, string Application) OpenNamed()
    {
        var application = $"handoff-scope-{Guid.NewGuid():N}"[..40];
        var connectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { ApplicationName = application }.ConnectionString;
        return (new PostgresHandoffStore(NpgsqlDataSource.Create(connectionString), _time, ownsDataSource: true), application);
    }

    private async Task<(string Workspace, List<Actor> People)> PullTeamAsync(IHandoffStore store, int capacity, int count)
    {
        var workspace = await store.EnsureWorkspaceAsync($"acme-{Guid.NewGuid():N}", Actor.System, Ct);
        await store.AddTeamAsync(new Team { WorkspaceId = workspace.Id, Name = "sales", DisplayName = "Sales", Mode = AssignmentMode.Pull }, Actor.System, Ct);
        var people = new List<Actor>();
        for (var i = 0; i < count; i++)
        {
            var user = await store.AddUserAsync(
                new NewUser(workspace.Id, $"p{i}-{Guid.NewGuid():N}@example.com", $"Person {i}", UserRole.Reviewer, ["sales"], "hash") { Capacity = capacity },
                Actor.System, Ct);
            people.Add(new Actor(Actor.UserKind, user!.Id, user.Name));
        }

        return (workspace.Id, people);
    }

    // A transaction elsewhere (another node's writer, say) holding the advisory lock of one key until it ends.
    private async Task<Held> HoldAsync(long key)
    {
        var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        await AdvisoryLock.TakeAsync(transaction, key, Ct);
        return new Held(connection, transaction);
    }

    private sealed class Held(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    // Until a connection of the store named application waits for the lock of key (pg_locks splits a one-key advisory
    // lock into its high and low halves), or the write is done without having waited.
    private async Task WaitUntilWaitingAsync(string application, long key, Task write)
    {
        while (!write.IsCompleted && Convert.ToInt64(_database.Execute(
            """
            SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objsubid = 1
              AND l.classid::bigint = @high AND l.objid::bigint = @low AND a.application_name = @app
            """,
            ("high", (key >> 32) & 0xFFFFFFFFL), ("low", key & 0xFFFFFFFFL), ("app", application)),
            System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            await Task.Delay(10, Ct);
        }
    }
}
