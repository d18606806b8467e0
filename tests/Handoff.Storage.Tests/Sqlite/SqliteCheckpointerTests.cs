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
    public async Task AfterACommit_TheCheckpointerCopiesTheLogIntoTheFile_AtMostOncePerSpacing()
    {
        using var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct);
        await UntilAsync(() => store.Checkpointer.Last.Runs >= 1);

        await store.EnsureWorkspaceAsync("globex", Actor.Cli("ops"), Ct);
        await Task.Delay(200, Ct);
        var beforeSpacing = store.Checkpointer.Last.Runs;
        _time.Advance(SqliteCheckpointer.Spacing);
        await UntilAsync(() => store.Checkpointer.Last.Runs >= 2);

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
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x BLOB)");
        for (var i = 0; i < 50; i++)
        {
            Execute(connection, "INSERT INTO t VALUES (randomblob(4000))");
        }

        var grown = LogFrames(connection);
        using (var checkpointer = new SqliteCheckpointer(_database.Path, _time, restartBytes: 4096))
        {
            checkpointer.Wrote();
            await UntilAsync(() => checkpointer.Restarts >= 1);
        }

        Execute(connection, "INSERT INTO t VALUES (randomblob(4000))");

        Assert.True(grown >= 50, $"the log held {grown} frames before");
        // Started over: the log holds the one insert's frames, not everything since the file was made.
        Assert.InRange(LogFrames(connection), 1, 5);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // The frames in the log, as a checkpoint that copies nothing reports them (a passive one with nobody else on
    // the file copies everything, which is fine: the count is read before it matters).
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
