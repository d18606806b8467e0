using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file on a thread and connection of its own, so that the writer
/// does not. SQLite's automatic checkpoint runs inside the commit that crosses its threshold: every write queued
/// behind that batch waited for tens of megabytes to be copied and the file synced (batches of 150–210 ms;
/// docs/benchmarks.md). A passive checkpoint runs beside the writer instead, taking no lock the writer needs.
/// </summary>
/// <remarks>
/// It runs after every <see cref="CommitsPerCheckpoint"/> commits (a smaller log is not worth a sync of the file), at
/// most once per <see cref="Spacing"/>. SQLite starts the log over only when a transaction
/// begins with every frame copied, which under sustained writes hardly ever happens, so once the log holds
/// <see cref="RestartBytes"/> a restarting checkpoint follows: passive passes first, until a pass finds little new
/// since the one before, then <c>RESTART</c>, which waits up to <see cref="RestartWait"/> for the writer's lock and
/// for readers, copies what is left and syncs the file; the next transaction starts the log over. A restart kept
/// waiting longer gives up and is tried again at the next size check. The writer keeps its own automatic checkpoint
/// as a backstop at a larger size (<see cref="SqliteWriter"/>).
/// </remarks>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>The least time between two checkpoints.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(500);

    /// <summary>Commits between two checkpoints, unless the constructor is given another.</summary>
    public const int CommitsPerCheckpoint = 100;

    /// <summary>The size of log past which it is started over, unless the constructor is given another.</summary>
    public const long RestartBytes = 40L * 1024 * 1024;

    /// <summary>How long a restart waits for the writer and readers (the writer waits for it meanwhile).</summary>
    public static readonly TimeSpan RestartWait = TimeSpan.FromMilliseconds(100);

    // A pass that found no more than this many new frames since the one before leaves a restart little to copy
    // under the writer's lock: about what a few batches write.
    private const int CloseEnoughFrames = 256;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly long _restartBytes;
    private readonly int _commitsPerCheckpoint;
    private int _commits;
    private readonly SemaphoreSlim _wrote = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private long _pageSize;
    private long _runs;
    private int _disposed;

    public SqliteCheckpointer(string databasePath, TimeProvider time, long restartBytes = RestartBytes, int commitsPerCheckpoint = CommitsPerCheckpoint)
    {
        // ReadWrite, not ReadWriteCreate: the writer creates the file; until the file exists, a checkpoint does nothing.
        _connectionString = new SqliteConnectionStringBuilder(SqliteHandoffStore.BuildConnectionString(databasePath, pooling: false))
        {
            Mode = SqliteOpenMode.ReadWrite,
        }.ToString();
        _time = time;
        _restartBytes = restartBytes;
        _commitsPerCheckpoint = commitsPerCheckpoint;
        // A thread of its own: a checkpoint blocks on the file for tens of milliseconds, which a thread-pool thread
        // must not (see BatchWriter).
        _thread = new Thread(Run) { IsBackground = true, Name = "Handoff SQLite checkpointer" };
        _thread.Start();
    }

    /// <summary>How many checkpoints ran, and what the last passive one found: frames in the log, frames copied.</summary>
    public (long Runs, int LogFrames, int CopiedFrames) Last { get; private set; }

    /// <summary>How many times a restart finished, so that the next transaction starts the log over.</summary>
    public long Restarts { get; private set; }

    /// <summary>How many checkpoints failed (each is tried again after the next commit).</summary>
    public long Failures { get; private set; }

    /// <summary>The writer committed: the log has grown. Never throws: the commit has happened.</summary>
    public void Wrote()
    {
        if (Interlocked.Increment(ref _commits) < _commitsPerCheckpoint || Volatile.Read(ref _disposed) == 1 || _wrote.CurrentCount > 0)
        {
            return;
        }

        try
        {
            _wrote.Release();
        }
        catch (Exception e) when (e is SemaphoreFullException or ObjectDisposedException)
        {
            // Another commit signalled first (one checkpoint covers both), or the store is closing.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _thread.Join();
        _stopping.Dispose();
        _wrote.Dispose();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                _wrote.Wait(_stopping.Token);
                Interlocked.Exchange(ref _commits, 0);
                connection ??= Open();
                if (connection is not null && !Checkpoint(connection))
                {
                    // A connection that failed once is opened anew next time.
                    connection.Dispose();
                    connection = null;
                }

                Task.Delay(Spacing, _time, _stopping.Token).GetAwaiter().GetResult();
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
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {(int)RestartWait.TotalMilliseconds}";
            command.ExecuteNonQuery();
            command.CommandText = "PRAGMA page_size";
            _pageSize = (long)command.ExecuteScalar()!;
            return connection;
        }
#pragma warning disable CA1031 // Thrown on this thread, anything would end the process: no file yet (the writer has not migrated it), say.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Tried again after the next commits.
            connection.Dispose();
            return null;
        }
    }

    // False when the checkpoint failed; it is only postponed: the next commit asks again, and the writer's own
    // backstop checkpoint bounds the log meanwhile.
    private bool Checkpoint(SqliteConnection connection)
    {
        try
        {
            var (_, log, copied) = Run(connection, "PASSIVE");
            Last = (++_runs, log, copied);
            if (log * _pageSize < _restartBytes)
            {
                return true;
            }

            // The log's size as a pass starts against where the pass before stopped copying: what came in between.
            for (var pass = 0; pass < 3; pass++)
            {
                var before = copied;
                (_, log, copied) = Run(connection, "PASSIVE");
                if (log - before <= CloseEnoughFrames)
                {
                    break;
                }
            }

            if (Run(connection, "RESTART").Busy == 0)
            {
                Restarts++;
            }

            return true;
        }
#pragma warning disable CA1031 // Whatever a checkpoint throws must not stop checkpoints for good; the writes are safe in the log.
        catch (Exception)
#pragma warning restore CA1031
        {
            Failures++;
            return false;
        }
    }

    // wal_checkpoint answers one row: whether it was kept from finishing (1) or not (0), the frames in the log as it
    // started, and the frames copied into the database.
    private static (int Busy, int Log, int Copied) Run(SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)) : (1, 0, 0);
    }
}
