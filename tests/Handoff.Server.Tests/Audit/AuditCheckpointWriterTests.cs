using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Server.Audit;
using Handoff.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Server.Tests.Audit;

public sealed class AuditCheckpointWriterTests : IDisposable
{
    private static readonly Actor Ops = Actor.Cli("ops");

    private readonly string _data = Directory.CreateTempSubdirectory("handoff-checkpoints-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly SqliteHandoffStore _store;

    public AuditCheckpointWriterTests() => _store = new SqliteHandoffStore(Path.Combine(_data, "handoff.db"), _time);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Folder => Path.Combine(_data, "checkpoints");

    [Fact]
    public async Task Running_WritesOnStart_ThenEachIntervalTheLogGrew_SignedWithTheKeyFile()
    {
        await _store.MigrateAsync(Ct);
        var workspace = await _store.EnsureWorkspaceAsync("default", Ops, Ct);
        using var writer = Writer(o => o.AuditCheckpointInterval = TimeSpan.FromMinutes(10));

        await writer.StartAsync(Ct);
        await UntilAsync(() => Checkpoints().Count == 1);
        await _store.PublishPolicyAsync(workspace.Id, "rules: []", Ops, Ct);
        for (var i = 0; i < 200 && Checkpoints().Count < 2; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            await Task.Delay(10, Ct);
        }

        await writer.StopAsync(Ct);
        var latest = AuditCheckpoints.Parse(await File.ReadAllTextAsync(Checkpoints()[^1], Ct));
        using var key = AuditSigningKey.Load(Path.Combine(_data, AuditSigningKey.DefaultFileName));
        Assert.Equal(["checkpoint-000000000001.json", "checkpoint-000000000002.json"], Checkpoints().Select(Path.GetFileName));
        Assert.Null(AuditCheckpoints.CheckSignature(latest, key));
        Assert.Equal((2L, (await _store.ReadAuditAsync(1, 1, Ct))[0].Hash), (latest.Size, latest.HeadHash));
        var leaves = (await _store.ReadAuditAsync(0, 2, Ct)).Select(static e => AuditTree.LeafHash(e.Hash)).ToArray();
        Assert.Equal(Convert.ToHexStringLower(AuditTree.NodeHash(leaves[0], leaves[1])), latest.RootHash);
        Assert.True(latest.At > new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero), "the checkpoint is stamped with the injected clock after it moved");
    }

    [Fact]
    public async Task WriteAsync_WhenTheLogHasNotGrown_WritesNothing_AndKeepsOnlyTheNewest()
    {
        await _store.MigrateAsync(Ct);
        var workspace = await _store.EnsureWorkspaceAsync("default", Ops, Ct);
        using var writer = Writer(o => o.AuditCheckpointsKept = 2);

        var written = new List<AuditCheckpoint?> { await writer.WriteAsync(Ct), await writer.WriteAsync(Ct) };
        for (var i = 0; i < 2; i++)
        {
            await _store.PublishPolicyAsync(workspace.Id, $"rules: [] # {i}", Ops, Ct);
            written.Add(await writer.WriteAsync(Ct));
        }

        Assert.Equal([1L, null, 2L, 3L], written.Select(c => c?.Size));
        Assert.Equal(["checkpoint-000000000002.json", "checkpoint-000000000003.json"], Checkpoints().Select(Path.GetFileName));
    }

    [Fact]
    public async Task WriteAsync_AfterTheLogWasCutBelowItsLastCheckpoint_RefusesToSign()
    {
        await _store.MigrateAsync(Ct);
        var workspace = await _store.EnsureWorkspaceAsync("default", Ops, Ct);
        await _store.PublishPolicyAsync(workspace.Id, "rules: []", Ops, Ct);
        using (var first = Writer())
        {
            Assert.NotNull(await first.WriteAsync(Ct));
        }

        Tamper("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2");
        await _store.PublishPolicyAsync(workspace.Id, "rules: [] # again", Ops, Ct);
        using var restarted = Writer();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => restarted.WriteAsync(Ct));

        Assert.Contains("entry 2 differs from the checkpoint", e.Message, StringComparison.Ordinal);
        Assert.Equal(["checkpoint-000000000002.json"], Checkpoints().Select(Path.GetFileName));
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private AuditCheckpointWriter Writer(Action<HandoffServerOptions>? configure = null)
    {
        var options = new HandoffServerOptions { DataDirectory = _data };
        configure?.Invoke(options);
        return new AuditCheckpointWriter(_store, _time, Options.Create(options), NullLogger<AuditCheckpointWriter>.Instance);
    }

    private List<string> Checkpoints() =>
        Directory.Exists(Folder) ? Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal).ToList() : [];

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition(), "the writer did not get there");
    }

    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection(SqliteHandoffStore.BuildConnectionString(Path.Combine(_data, "handoff.db"), pooling: false));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
