using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using System.Security.Cryptography;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Server.Audit;
using Handoff.Storage;
using Handoff.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Handoff.Server.Tests.Audit;

public sealed class AuditTreeReaderTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("handoff-tree-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnSqlite_GrowStoresOneNodePer256Entries_AndRootsAndProofsAreTheSameWithOrWithoutThem()
    {
        using var store = await OpenAsync();
        var workspace = await store.EnsureWorkspaceAsync("default", Actor.Cli("ops"), Ct);
        await PublishAsync(store, workspace.Id, 599);

        var leaves = (await store.ReadAuditAsync(0, 1000, Ct)).Select(static e => AuditTree.LeafHash(e.Hash)).ToArray();
        Assert.Equal(600, leaves.Length);
        var computed = await new AuditTreeReader(store).RootAsync(600, Ct);
        var proofComputed = await new AuditTreeReader(store).ProveAsync(workspace.Id, workspace.Id, cancellationToken: Ct);

        Assert.Equal(2, await new AuditTreeReader(store).GrowAsync(Ct));
        Assert.Equal(0, await new AuditTreeReader(store).GrowAsync(Ct));

        Assert.Equal(new Dictionary<int, long> { [8] = 2 }, await store.GetAuditTreeSizesAsync(Ct));
        Assert.Equal(Hex(Reference(leaves)), computed);
        Assert.Equal(computed, await new AuditTreeReader(store).RootAsync(600, Ct));
        Assert.Equal(Hex(Reference(leaves[..300])), await new AuditTreeReader(store).RootAsync(300, Ct));
        Assert.Equal(600, await new AuditTreeReader(store).SealedSizeAsync(Ct));
        // The workspace's own entry (workspace.created) is not a case's; a case id the log never saw has no proof.
        Assert.Null(proofComputed);
        Assert.Null(await new AuditTreeReader(store).ProveAsync(workspace.Id, "cs_nobody", cancellationToken: Ct));
    }

    [Fact]
    public async Task OnSqlite_AForgedStoredNode_IsNamedByVerify()
    {
        using var store = await OpenAsync();
        var workspace = await store.EnsureWorkspaceAsync("default", Actor.Cli("ops"), Ct);
        await PublishAsync(store, workspace.Id, 519);

        await new AuditTreeReader(store).GrowAsync(Ct);
        Assert.Empty((await AuditLogVerifier.CheckAsync(store, null, Ct)).Problems);

        Sql(Database, $"DROP TRIGGER audit_tree_no_update; UPDATE audit_tree SET hash = '{new string('0', 64)}' WHERE level = 8 AND idx = 1");

        var problem = Assert.Single((await AuditLogVerifier.CheckAsync(store, null, Ct)).Problems);
        Assert.StartsWith("audit tree node (8, 1) over entries 257..512 does not match them: stored 0000", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnSqlite_NodesPlantedAheadOfTheLog_AreNamedByVerify_StopGrowing_AndNeverReachASignedRoot()
    {
        using var store = await OpenAsync();
        var workspace = await store.EnsureWorkspaceAsync("default", Actor.Cli("ops"), Ct);
        await PublishAsync(store, workspace.Id, 299);

        // A node over entries 513..768, which do not exist yet: were it trusted, the log's future would be someone's choice.
        await store.AddAuditTreeAsync([new AuditTreeNode(8, 2, new string('a', 64))], Ct);
        await PublishAsync(store, workspace.Id, 500);

        // And one over entries that are not there at all.
        await store.AddAuditTreeAsync([new AuditTreeNode(8, 10, new string('b', 64))], Ct);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => new AuditTreeReader(store).GrowAsync(Ct));
        var tree = new AuditTreeCheck();
        var (intact, _) = await AuditLogVerifier.VerifyAsync(store, Ct, tree: tree);
        var report = await AuditLogVerifier.CheckAsync(store, null, Ct);

        Assert.Contains("nodes past the sealed log", refused.Message, StringComparison.Ordinal);
        Assert.True(intact.Intact);
        var leaves = (await store.ReadAuditAsync(0, 1000, Ct)).Select(static e => AuditTree.LeafHash(e.Hash)).ToArray();
        Assert.Equal(800, leaves.Length);
        Assert.Equal(Hex(Reference(leaves)), await tree.RootAsync());
        Assert.Equal(
            [
                $"audit tree node (8, 2) over entries 513..768 does not match them: stored {new string('a', 64)}, the entries give " +
                Hex(AuditTree.PerfectRoot(leaves[512..768])),
                "audit tree node (8, 10) stands for entries 2561..2816, which the sealed log does not hold",
            ],
            report.Problems);
        // A proof's own size is the log's, not what the planted node claims.
        Assert.Equal(800, await new AuditTreeReader(store).SealedSizeAsync(Ct));
    }

    [Fact]
    public async Task OnSqlite_ACheckpointWhoseRootIsNotTheEntries_IsNamedByVerify()
    {
        using var store = await OpenAsync();
        var workspace = await store.EnsureWorkspaceAsync("default", Actor.Cli("ops"), Ct);
        await store.PublishPolicyAsync(workspace.Id, "rules: []", Actor.Cli("ops"), Ct);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (_, last) = await AuditLogVerifier.VerifyAsync(store, Ct);

        var report = await AuditLogVerifier.CheckAsync(store, AuditCheckpoints.Sign(last, new string('c', 64), DateTimeOffset.UnixEpoch, key), Ct);

        Assert.StartsWith($"the checkpoint signs root {new string('c', 64)} for entries 1..2, but those entries give ", Assert.Single(report.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointWriter_AfterARestart_SignsTheEntriesRoot_ResumingFromStoredNodesOnlyWhenTheyGiveTheSignedRoot()
    {
        using var store = await OpenAsync();
        var workspace = await store.EnsureWorkspaceAsync("default", Actor.Cli("ops"), Ct);
        await PublishAsync(store, workspace.Id, 599);

        await new AuditTreeReader(store).GrowAsync(Ct);
        string signedRoot;
        using (var first = Writer(store))
        {
            signedRoot = (await first.WriteAsync(Ct))!.RootHash!;
        }

        Assert.NotNull(await AuditTreeCheck.ResumeAsync(store, 600, signedRoot, Ct));
        Assert.Null(await AuditTreeCheck.ResumeAsync(store, 600, new string('d', 64), Ct));

        // A restart that trusts the stored nodes (they give the signed root), then one after a node was forged.
        var roots = new List<string?>();
        for (var restart = 0; restart < 2; restart++)
        {
            await PublishAsync(store, workspace.Id, 100);

            using var writer = Writer(store);
            roots.Add((await writer.WriteAsync(Ct))?.RootHash);
            if (restart == 0)
            {
                Sql(Database, $"DROP TRIGGER audit_tree_no_update; UPDATE audit_tree SET hash = '{new string('0', 64)}' WHERE level = 8 AND idx = 1");
            }
        }

        var leaves = (await store.ReadAuditAsync(0, 1000, Ct)).Select(static e => AuditTree.LeafHash(e.Hash)).ToArray();
        Assert.Equal([Hex(Reference(leaves[..700])), Hex(Reference(leaves))], roots);
        Assert.Null(await AuditTreeCheck.ResumeAsync(store, 700, roots[0]!, Ct));
    }

    [Fact]
    public async Task OverTwoStoredLevels_RootsAndProofsMatchTheDefinition_BeforeAndAfterGrowing()
    {
        // 70,000 entries: 273 nodes of level 8 and one of level 16 (over the first 65,536).
        var store = FakeAuditStore.Create(70_000, out var fake);
        var leaves = fake.Log.Select(static e => AuditTree.LeafHash(e.Hash)).ToArray();
        var sizes = new long[] { 1, 255, 256, 257, 65_535, 65_536, 65_537, 70_000 };
        var before = new List<string>();
        foreach (var size in sizes)
        {
            before.Add(await new AuditTreeReader(store).RootAsync(size, Ct));
        }

        Assert.Equal(274, await new AuditTreeReader(store).GrowAsync(Ct));
        Assert.Equal(273, fake.Tree.Keys.Count(static k => k.Level == 8));
        Assert.Equal([(16, 0L)], fake.Tree.Keys.Where(static k => k.Level == 16));
        Assert.Equal(0, await new AuditTreeReader(store).GrowAsync(Ct));

        for (var i = 0; i < sizes.Length; i++)
        {
            var expected = Hex(Reference(leaves[..(int)sizes[i]]));
            Assert.Equal(expected, before[i]);
            Assert.Equal(expected, await new AuditTreeReader(store).RootAsync(sizes[i], Ct));
        }

        // With the nodes stored, a proof reads a few tiles, not the log.
        fake.Reads = 0;
        var proof = await new AuditTreeReader(store).ProveAsync("ws_1", "cs_7", cancellationToken: Ct);
        Assert.NotNull(proof);
        Assert.Equal(70_000, proof.TreeSize);
        Assert.Equal(Hex(Reference(leaves)), proof.RootHash);
        Assert.Equal(7, proof.Entries.Count);
        Assert.All(proof.Entries, p => Assert.True(AuditTree.VerifyInclusion(
            p.Entry.Sequence - 1, 70_000, AuditTree.LeafHash(p.Entry.Hash), [.. p.Path.Select(Convert.FromHexString)], Convert.FromHexString(proof.RootHash))));
        Assert.InRange(fake.Reads, 1, 60);

        foreach (var (first, second) in new[] { (1L, 70_000L), (300L, 65_536L), (65_536L, 70_000L), (65_537L, 69_999L) })
        {
            var consistency = await new AuditTreeReader(store).ConsistencyAsync(first, second, Ct);
            Assert.Null(consistency.Check());
            Assert.Equal((Hex(Reference(leaves[..(int)first])), Hex(Reference(leaves[..(int)second]))), (consistency.FirstRoot, consistency.SecondRoot));
        }

        // Some stored nodes missing (a builder that stopped half way, or lost rows): computed from the level below.
        foreach (var gone in new[] { (8, 3L), (8, 200L), (16, 0L) })
        {
            fake.Tree.Remove(gone);
        }

        foreach (var size in sizes)
        {
            Assert.Equal(Hex(Reference(leaves[..(int)size])), await new AuditTreeReader(store).RootAsync(size, Ct));
        }
    }

    [Fact]
    public async Task Grow_OverAGapInTheSealedLog_Refuses_AndStoresNothing()
    {
        var store = FakeAuditStore.Create(600, out var fake);
        fake.Log.RemoveAt(300);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => new AuditTreeReader(store).GrowAsync(Ct));
        Assert.Contains("entry 302 where entry 301 should be", refused.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Tree);
    }

    private string Database => Path.Combine(_data, "handoff.db");

    private async Task<SqliteHandoffStore> OpenAsync()
    {
        var store = new SqliteHandoffStore(Database, TimeProvider.System);
        await store.MigrateAsync(Ct);
        return store;
    }

    // Policies published one after another: one audit entry each.
    private static async Task PublishAsync(SqliteHandoffStore store, string workspaceId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await store.PublishPolicyAsync(workspaceId, "rules: []", Actor.Cli("ops"), Ct);
        }
    }

    private AuditCheckpointWriter Writer(SqliteHandoffStore store) => new(
        store, TimeProvider.System, Options.Create(new HandoffServerOptions { DataDirectory = _data }), NullLogger<AuditCheckpointWriter>.Instance);

    private static void Sql(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    // RFC 9162 §2.1.1 as written.
    private static byte[] Reference(byte[][] leaves)
    {
        if (leaves.Length == 1)
        {
            return leaves[0];
        }

        var k = 1;
        while (k * 2 < leaves.Length)
        {
            k *= 2;
        }

        return AuditTree.NodeHash(Reference(leaves[..k]), Reference(leaves[k..]));
    }

    /// <summary>Just the audit reads and the tree of a store, in memory, for logs too long to write through a real one in a test.</summary>
    public class FakeAuditStore : DispatchProxy
    {
        public List<AuditEntry> Log { get; } = [];

        public SortedDictionary<(int Level, long Index), AuditTreeNode> Tree { get; } = [];

        public int Reads { get; set; }

        public static IHandoffStore Create(int entries, out FakeAuditStore fake)
        {
            var store = Create<IHandoffStore, FakeAuditStore>();
            fake = (FakeAuditStore)(object)store;
            for (var i = 1; i <= entries; i++)
            {
                fake.Log.Add(new AuditEntry
                {
                    Id = i, Sequence = i, WorkspaceId = "ws_1", At = DateTimeOffset.UnixEpoch, ActorKind = "key", ActorId = "key_1", ActorName = "bot",
                    Action = "case.created", Subject = i % 10_000 == 7 ? "cs_7" : "cs_other", Data = "{}", PreviousHash = "",
                    Hash = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i))),
                });
            }

            return store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Reads++;
            ArgumentNullException.ThrowIfNull(targetMethod);
            ArgumentNullException.ThrowIfNull(args);
            return targetMethod.Name switch
            {
                nameof(IHandoffStore.ReadAuditAsync) => Task.FromResult<IReadOnlyList<AuditEntry>>(
                    [.. Log.Where(e => e.Sequence > (long)args[0]!).Take(Math.Min((int)args[1]!, 10_000))]),
                nameof(IHandoffStore.GetCaseHistoryAsync) => Task.FromResult<IReadOnlyList<AuditEntry>>(
                    [.. Log.Where(e => e.WorkspaceId == (string)args[0]! && e.Subject == (string)args[1]!)]),
                nameof(IHandoffStore.ReadAuditTreeAsync) => Task.FromResult<IReadOnlyList<AuditTreeNode>>(
                    [.. Tree.Values.Where(n => n.Level == (int)args[0]! && n.Index >= (long)args[1]! && n.Index < (long)args[1]! + (int)args[2]!)]),
                nameof(IHandoffStore.GetAuditTreeSizesAsync) => Task.FromResult<IReadOnlyDictionary<int, long>>(
                    Tree.Keys.GroupBy(static k => k.Level).ToDictionary(static g => g.Key, static g => g.Max(static k => k.Index) + 1)),
                nameof(IHandoffStore.AddAuditTreeAsync) => Add((IReadOnlyList<AuditTreeNode>)args[0]!),
                _ => throw new NotSupportedException(targetMethod.Name),
            };
        }

        private Task Add(IReadOnlyList<AuditTreeNode> nodes)
        {
            foreach (var node in nodes)
            {
                Tree.TryAdd((node.Level, node.Index), node);
            }

            return Task.CompletedTask;
        }
    }
}
