using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file on a thread and connection of its own, so that the writer
/// does not. SQLite's automatic checkpoint runs inside the commit that crosses its threshold: every write queued
/// behind that batch waited for tens of megabytes to be copied and the file synced (batches of 150–210 ms, a p99 of
/// 50–170 ms on the auto path; docs/benchmarks.md). A passive checkpoint runs beside the writer instead, taking no
/// lock the writer needs.
/// </summary>
/// <remarks>
/// It runs after a commit, at most once per <see cref="Spacing"/>. SQLite starts the log over only when a transaction
/// begins with every frame copied, which under sustained writes hardly ever happens, so once the log holds
/// <see cref="RestartBytes"/> a restarting checkpoint follows the passive one: it waits for the writer's lock and
/// copies what came in between (a few batches, since the passive one just ran), and the next transaction starts the
/// log over. The writer keeps its own automatic checkpoint as a backstop at a larger size (<see cref="SqliteWriter"/>).
/// </remarks>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>The least time between two checkpoints.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(500);

    /// <summary>The size of log past which it is started over, unless the constructor is given another.</summary>
    public const long RestartBytes = 40L * 1024 * 1024;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly long _restartBytes;
    private readonly SemaphoreSlim _wrote = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _runs;
    private int _disposed;

    public SqliteCheckpointer(string databasePath, TimeProvider time, long restartBytes = RestartBytes)
    {
        // ReadWrite, not ReadWriteCreate: the writer creates the file; until the file exists, a checkpoint does nothing.
        _connectionString = new SqliteConnectionStringBuilder(SqliteHandoffStore.BuildConnectionString(databasePath, pooling: false))
        {
            Mode = SqliteOpenMode.ReadWrite,
        }.ToString();
        _time = time;
        _restartBytes = restartBytes;
        _loop = Task.Run(RunAsync);
    }

    // Frames a restart may still have to copy under the writer's lock: about what a few batches write.
    private const int CloseEnoughFrames = 256;

    private long _pageSize;

    /// <summary>How many checkpoints ran, and what the last passive one found: frames in the log, frames copied.</summary>
    public (long Runs, int LogFrames, int CopiedFrames) Last { get; private set; }

    /// <summary>How many times the log was started over.</summary>
    public long Restarts { get; private set; }

    /// <summary>The writer committed: the log has grown.</summary>
    public void Wrote()
    {
        if (_wrote.CurrentCount == 0)
        {
            try
            {
                _wrote.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit signalled first: one checkpoint covers both.
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
        _wrote.Dispose();
    }

    private async Task RunAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                await _wrote.WaitAsync(_stopping.Token).ConfigureAwait(false);
                connection ??= Open();
                if (connection is not null)
                {
                    Checkpoint(connection);
                }

                await Task.Delay(Spacing, _time, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private SqliteConnection? Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (SqliteException)
        {
            // No file yet (the writer has not migrated it): try again after the next commit.
            connection.Dispose();
            return null;
        }
    }

    private void Checkpoint(SqliteConnection connection)
    {
        try
        {
            var (_, log, copied) = Run(connection, "PASSIVE");
            Last = (Interlocked.Increment(ref _runs), log, copied);
            if (log * PageSize(connection) < _restartBytes)
            {
                return;
            }

            // The restart holds the writer's lock while it copies what is left and syncs the file: passes without the
            // lock first bring that down to what a few batches write.
            for (var pass = 0; pass < 3 && log - copied > CloseEnoughFrames; pass++)
            {
                (_, log, copied) = Run(connection, "PASSIVE");
            }

            if (Run(connection, "RESTART").Busy == 0)
            {
                Restarts++;
            }
        }
        catch (SqliteException)
        {
            // A checkpoint that could not run is only postponed: the next commit asks again, and the writer's own
            // backstop checkpoint bounds the log meanwhile.
        }
    }

    private long PageSize(SqliteConnection connection)
    {
        if (_pageSize == 0)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA page_size";
            _pageSize = (long)command.ExecuteScalar()!;
        }

        return _pageSize;
    }

    // wal_checkpoint answers one row: whether it was kept from finishing (1) or not (0), the frames in the log, and
    // the frames copied into the database.
    private static (int Busy, int Log, int Copied) Run(SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)) : (1, 0, 0);
    }
}
