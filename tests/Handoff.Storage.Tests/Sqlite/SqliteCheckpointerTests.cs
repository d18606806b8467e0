using Handoff.Core.Cases;
using Handoff.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Storage.Tests.Sqlite;

/// <summary>The write-ahead log is copied back and started over beside the writer, not inside its commits.</summary>
public sealed class SqliteCheckpointerTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AfterEnoughCommits_TheCheckpointerCopiesTheLogIntoTheFile_AtMostOncePerSpacing()
    {
        using var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        await CommitAsync(store, "a", SqliteCheckpointer.CommitsPerCheckpoint - 1);
        await Task.Delay(200, Ct);
        var beforeEnough = store.Checkpointer.Last.Runs;
        await CommitAsync(store, "b", 1);
        await UntilAsync(() => store.Checkpointer.Last.Runs >= 1);

        await CommitAsync(store, "c", SqliteCheckpointer.CommitsPerCheckpoint);
        await Task.Delay(200, Ct);
        var beforeSpacing = store.Checkpointer.Last.Runs;
        // Small steps: the checkpointer sets its spacing timer a moment after its run, and a step taken before that
        // would be lost.
        for (var i = 0; i < 500 && store.Checkpointer.Last.Runs < 2; i++)
        {
            _time.Advance(SqliteCheckpointer.Spacing / 10);
            await Task.Delay(10, Ct);
        }

        Assert.Equal(0, beforeEnough);
        Assert.Equal(1, beforeSpacing);
        var last = store.Checkpointer.Last;
        Assert.True(last.LogFrames > 0, "the commit wrote nothing to the log");
        Assert.Equal(last.LogFrames, last.CopiedFrames);
    }

    [Fact]
    public async Task ALogPastTheRestartSize_IsStartedOver_SoItDoesNotGrowWithoutEnd()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.Path)!);
        using var connection = _database.Connect();
        Execute(connection, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x BLOB)");
        for (var i = 0; i < 50; i++)
        {
            Execute(connection, "INSERT INTO t VALUES (randomblob(4000))");
        }

        // From the file, not from a checkpoint (which would copy the log and let the next write start it over).
        var grown = (new FileInfo(_database.Path + "-wal").Length - 32) / (4096 + 24);
        using (var checkpointer = new SqliteCheckpointer(_database.Path, _time, restartBytes: 4096, commitsPerCheckpoint: 1))
        {
            checkpointer.Wrote();
            await UntilAsync(() => checkpointer.Restarts >= 1);
            Assert.Equal(0, checkpointer.Failures);
        }

        Execute(connection, "INSERT INTO t VALUES (randomblob(4000))");

        Assert.True(grown >= 50, $"the log held {grown} frames before");
        // Started over: the log holds the one insert's frames, not everything since the file was made. (On a file
        // nobody else uses, a passive checkpoint that copied everything would let the insert start it over too; what
        // only the restart shows is that it finished: Restarts.)
        Assert.InRange(LogFrames(connection), 1, 5);
    }

    private static async Task CommitAsync(SqliteHandoffStore store, string prefix, int commits)
    {
        for (var i = 0; i < commits; i++)
        {
            await store.EnsureWorkspaceAsync($"{prefix}{i}", Actor.Cli("ops"), Ct);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // The frames in the log, as a passive checkpoint reports them (it copies them, too).
    private static int LogFrames(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt32(1);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition(), "the checkpointer did not run");
    }
}
