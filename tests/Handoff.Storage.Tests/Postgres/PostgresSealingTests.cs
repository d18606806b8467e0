using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Storage.Postgres;
using Handoff.Tests.Shared;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Handoff.Storage.Tests.Postgres;

/// <summary>
/// The audit log sealed off the write path: writes append unsealed entries, one sealer at a time chains them, and a
/// sealer that dies leaves nothing half-sealed.
/// </summary>
public sealed class PostgresSealingTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Writes_LeaveTheirEntriesUnsealed_InTheirCasesHistoryAtOnce_AndTheSealerChainsThemByIdAfterTheLog()
    {
        var store = await OpenAsync();
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);
        await store.SealAllAsync(Ct);
        var sealedBefore = await store.ReadAuditAsync(0, 100, Ct);
        var created = (await store.CreateCaseAsync(Cases.Pending(workspace.Id, _time.GetUtcNow()), Ct)).Case;
        _time.Advance(TimeSpan.FromSeconds(3));
        await store.ClaimCaseAsync(workspace.Id, created.Id, new Actor("user", "u1", "Ada"), _time.GetUtcNow(), Ct);

        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        Assert.Equal([AuditData.CaseCreated, AuditData.CaseClaimed], history.Select(e => e.Action));
        Assert.All(history, e => Assert.Equal((false, 0L, "", ""), (e.IsSealed, e.Sequence, e.PreviousHash, e.Hash)));
        Assert.True(history[0].Id < history[1].Id);
        // Followers of the sealed log do not see them yet; the unsealed tail says how many wait, and since when.
        Assert.Equal(sealedBefore.Count, (await store.ReadAuditAsync(0, 100, Ct)).Count);
        Assert.Equal(new UnsealedAudit(2, Start), await store.GetUnsealedAuditAsync(Ct));
        Assert.Equal(history.Select(e => e.Id), (await store.ReadUnsealedAuditAsync(0, 100, Ct)).Select(e => e.Id));

        Assert.Equal(2, await store.SealAuditAsync(1000, Ct));

        var log = await store.ReadAuditAsync(0, 100, Ct);
        Assert.True(AuditChain.Verify(log).Intact);
        Assert.Equal(history.Select(e => e.Id), log.Skip(sealedBefore.Count).Select(e => e.Id));
        Assert.Equal([sealedBefore.Count + 1L, sealedBefore.Count + 2L], log.Skip(sealedBefore.Count).Select(e => e.Sequence));
        Assert.Equal(UnsealedAudit.None, await store.GetUnsealedAuditAsync(Ct));
        Assert.Equal(0, await store.SealAuditAsync(1000, Ct));
        // The history now carries the places and hashes too, and its ids are unchanged.
        var sealedHistory = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        Assert.Equal(log.Skip(sealedBefore.Count), sealedHistory);
    }

    [Fact]
    public async Task SealersOnThreeNodes_RacingWritersOnThreeNodes_SealEveryEntryOnce_InOneChain()
    {
        var nodes = new List<PostgresHandoffStore>();
        for (var i = 0; i < 3; i++)
        {
            nodes.Add(i == 0 ? await OpenAsync() : _database.Open(_time));
        }

        var workspace = await nodes[0].EnsureWorkspaceAsync("acme", Actor.System, Ct);
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var sealers = nodes.Select(node => Task.Run(async () =>
        {
            var count = 0;
            while (!writing.IsCancellationRequested)
            {
                count += await node.SealAuditAsync(7, Ct);
            }

            return count;
        }, Ct)).ToList();
        var writers = Enumerable.Range(0, 3).Select(n => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var c = (await nodes[n].CreateCaseAsync(Cases.Pending(workspace.Id, _time.GetUtcNow()), Ct)).Case;
                await nodes[(n + 1) % 3].ClaimCaseAsync(workspace.Id, c.Id, new Actor("user", $"u{n}", "Ada"), _time.GetUtcNow(), Ct);
            }
        }, Ct)).ToList();
        await Task.WhenAll(writers);
        await writing.CancelAsync();
        var sealedByRacers = (await Task.WhenAll(sealers)).Sum();
        var sealedAfter = await nodes[1].SealAllAsync(Ct);

        var log = await nodes[2].ReadAuditAsync(0, 10_000, Ct);
        Assert.True(AuditChain.Verify(log).Intact);
        // A submission and a claim for each of the 120 cases, and the workspace's entries: each sealed exactly once.
        Assert.Equal(240, log.Count(e => e.Action is AuditData.CaseCreated or AuditData.CaseClaimed));
        Assert.Equal(log.Count, sealedByRacers + sealedAfter);
        Assert.Equal(log.Count, log.Select(e => e.Id).Distinct().Count());
        Assert.Equal(UnsealedAudit.None, await nodes[0].GetUnsealedAuditAsync(Ct));
    }

    [Fact]
    public async Task ASealerThatDiesMidBatch_SealsNothing_AndAnotherNodeSealsItAll()
    {
        var store = await OpenAsync();
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);
        for (var i = 0; i < 5; i++)
        {
            await store.CreateCaseAsync(Cases.Pending(workspace.Id, _time.GetUtcNow()), Ct);
        }

        // A sealer on another node: it holds the sealer's lock and has given two entries places it never commits.
        var dying = new NpgsqlConnection(_database.ConnectionString);
        await dying.OpenAsync(Ct);
        var transaction = await dying.BeginTransactionAsync(Ct);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key, hashtext(current_schema()))", dying, transaction))
        {
            take.Parameters.AddWithValue("key", AdvisoryLock.Sealer);
            await take.ExecuteNonQueryAsync(Ct);
        }

        await using (var half = new NpgsqlCommand(
            "UPDATE audit SET seq = id + 1000, prev_hash = 'x', hash = 'y' WHERE id IN (SELECT id FROM audit WHERE seq IS NULL ORDER BY id LIMIT 2)", dying, transaction))
        {
            Assert.Equal(2, await half.ExecuteNonQueryAsync(Ct));
        }

        // While it lives, nobody else seals.
        var other = _database.Open(_time);
        Assert.Equal(0, await other.SealAuditAsync(1000, Ct));

        // It dies (its connection cut, as when its process is killed): its batch rolls back and the lock goes with it.
        var pid = dying.ProcessID;
        _database.Execute("SELECT pg_terminate_backend(@pid)", ("pid", pid));
        // The signal is sent at once; the session ends, and lets its lock go, a moment later.
        while ((long)_database.Execute("SELECT count(*) FROM pg_stat_activity WHERE pid = @pid", ("pid", pid))! > 0)
        {
            await Task.Delay(10, Ct);
        }

        try
        {
            await dying.DisposeAsync();
        }
        catch (PostgresException)
        {
            // Rolling back on a session the server has already ended.
        }

        Assert.Equal(6, await other.SealAllAsync(Ct));
        var log = await other.ReadAuditAsync(0, 100, Ct);
        Assert.True(AuditChain.Verify(log).Intact);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), log.Select(e => e.Sequence));
    }

    [Fact]
    public async Task TheLog_StaysAppendOnly_ButForSealingAnUnsealedEntryOnce()
    {
        var store = await OpenAsync();
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);
        await store.CreateCaseAsync(Cases.Pending(workspace.Id, _time.GetUtcNow()), Ct);
        await store.SealAuditAsync(1, Ct);

        // A sealed entry: no field may change, its place and hashes included.
        AssertRefused("UPDATE audit SET seq = 99 WHERE seq = 1");
        AssertRefused("UPDATE audit SET data = '{}' WHERE seq = 1");
        // An unsealed one: only sealing (all three at once), nothing else, and never a deletion.
        AssertRefused("UPDATE audit SET data = '{}' WHERE seq IS NULL");
        AssertRefused("UPDATE audit SET seq = 2, prev_hash = 'x', hash = 'y', actor_name = 'Mallory' WHERE seq IS NULL");
        AssertRefused("DELETE FROM audit WHERE seq IS NULL");
        AssertRefused("TRUNCATE audit");
        Assert.Equal(1, await store.SealAuditAsync(10, Ct));
        Assert.True(AuditChain.Verify(await store.ReadAuditAsync(0, 100, Ct)).Intact);
    }

    [Fact]
    public async Task Migrate_ToSealedAudit_KeepsTheOldChainVerifiable_AndNewEntriesExtendIt()
    {
        var before = await OpenAsync();
        var workspace = await before.EnsureWorkspaceAsync("acme", Actor.System, Ct);
        for (var i = 0; i < 4; i++)
        {
            await before.CreateCaseAsync(Cases.Pending(workspace.Id, _time.GetUtcNow()), Ct);
        }

        await before.SealAllAsync(Ct);
        var old = await before.ReadAuditAsync(0, 100, Ct);
        before.Dispose();

        // Back to version 11, as a database written before sealing: seq the key, every entry chained as it was written.
        _database.Execute("""
            DELETE FROM schema_migrations WHERE version = 12;
            ALTER TABLE audit ALTER COLUMN id DROP DEFAULT;
            DROP SEQUENCE audit_id;
            DROP INDEX ux_audit_seq;
            DROP INDEX ix_audit_unsealed;
            ALTER TABLE audit DROP COLUMN seq;
            ALTER TABLE audit RENAME COLUMN id TO seq;
            ALTER TABLE audit ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
            """);
        var after = _database.Open(_time);
        await after.MigrateAsync(Ct);

        Assert.Equal(old, await after.ReadAuditAsync(0, 100, Ct));
        Assert.All(old, e => Assert.Equal(e.Sequence, e.Id));
        await after.CreateCaseAsync(Cases.Pending(workspace.Id, _time.GetUtcNow()), Ct);
        Assert.Equal(1, await after.SealAuditAsync(10, Ct));
        var log = await after.ReadAuditAsync(0, 100, Ct);
        Assert.True(AuditChain.Verify(log).Intact);
        Assert.Equal((old.Count + 1L, old.Count + 1L), (log[^1].Id, log[^1].Sequence));
    }

    private async Task<PostgresHandoffStore> OpenAsync()
    {
        var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        return store;
    }

    private void AssertRefused(string sql)
    {
        var e = Assert.Throws<PostgresException>(() => _database.Execute(sql));
        Assert.Contains("append-only", e.MessageText, StringComparison.Ordinal);
    }
}
