using System.Threading.Channels;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Sqlite;

/// <summary>
/// The one connection that writes. SQLite lets one writer in at a time anyway; queueing writes in-process (a
/// channel drained by one loop) instead of on SQLite's lock means no SQLITE_BUSY, no retry sleeps, statements that
/// stay prepared on one connection, and group commit: writes that queue up together share one transaction. The
/// work passed to <see cref="RunAsync{T}"/> is the only place <see cref="Command"/> and <see cref="Append"/> may be
/// used; the semaphore keeps migrations and disposal from running beside a batch.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    private readonly string _connectionString;
    private readonly string _databasePath;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    // Synchronous continuations: a producer wakes the waiting writer thread directly, not through the thread pool.
    private readonly Channel<IWrite> _queue = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Thread _processing;

    // Everything below is guarded by _lock.
    private SqliteConnection? _connection;
    private SqliteTransaction? _transaction;
    private bool _disposed;

    // The last committed audit entry, so appending needs no read. Null means "read it from the database": after a
    // failed transaction (whose entries were rolled back) and whenever another connection has written to the file.
    private ChainHead? _committedHead;
    private ChainHead _head;
    private long _dataVersion;

    public SqliteWriter(string connectionString, string databasePath, TimeProvider time)
    {
        _connectionString = connectionString;
        _databasePath = databasePath;
        _time = time;
        // A thread of its own: the loop blocks on SQLite for every batch, and on a small machine a blocked thread-pool
        // thread starves the requests (measured: a quarter less throughput until the pool had grown).
        _processing = new Thread(Process) { IsBackground = true, Name = "Handoff SQLite writer" };
        _processing.Start();
    }

    // Enough to amortise a commit over a burst; small enough that one batch never holds the file for long.
    private const int MaxBatch = 256;

    public DateTimeOffset Now => _time.GetUtcNow();

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SqliteMigrations.Apply(Open(), _time);
            _committedHead = null;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> atomically and returns once it is committed, or throws what it threw with all its
    /// changes rolled back. Writes that queue up while one commits are committed together in one transaction (group
    /// commit), so a burst of concurrent writes pays for one commit instead of one each; one write's failure never
    /// undoes another's (see <see cref="RunBatch"/>).
    /// </summary>
    public Task<T> RunAsync<T>(Func<SqliteWriter, T> work, CancellationToken cancellationToken)
    {
        var write = new Write<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqliteWriter));
        }

        return write.Task;
    }

    private void Process()
    {
        var batch = new List<IWrite>(MaxBatch);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            // Let requests already running queue their writes first: under load this made batches about four times
            // larger (3 → 14 writes a commit), and a commit costs far more than a write.
            Thread.Yield();
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                if (!write.CancelIfRequested())
                {
                    batch.Add(write);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            _lock.Wait();
            try
            {
                RunBatch(batch);
            }
            finally
            {
                _lock.Release();
            }
        }
    }

    private void RunBatch(List<IWrite> batch)
    {
        // The common case: every write succeeds and the whole batch commits at once. Savepoints per write would
        // isolate a failure but cost a sub-journal each (measured: about 40 % of the batch's time), so instead a
        // write that throws fails alone, the transaction is rolled back and the others run again as a new batch:
        // writes are plain database work that reads its state inside the transaction, so running one again is safe.
        // A failure that is not a write's own (the file is busy, the disk full) fails the whole batch at once.
        var pending = batch;
        while (pending.Count > 0)
        {
            var (committed, failedWrite, error) = TryCommit(pending);
            if (committed)
            {
                return;
            }

            if (failedWrite is null)
            {
                foreach (var write in pending)
                {
                    write.Fail(error!);
                }

                return;
            }

            failedWrite.Fail(error!);
            pending = pending.Where(write => !ReferenceEquals(write, failedWrite)).ToList();
        }
    }

    private (bool Committed, IWrite? FailedWrite, Exception? Error) TryCommit(List<IWrite> writes)
    {
        IWrite? running = null;
        try
        {
            var connection = Open();
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                _transaction = transaction;
                _head = CurrentHead();
                foreach (var write in writes)
                {
                    running = write;
                    write.Run(this);
                }

                running = null;
                transaction.Commit();
            }

            _committedHead = _head;
        }
#pragma warning disable CA1031 // The exception goes back to the caller whose write caused it, or to every caller.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _committedHead = null;
            return (false, running, e);
        }
        finally
        {
            _transaction = null;
        }

        foreach (var write in writes)
        {
            write.Complete();
        }

        return (true, null, null);
    }

    /// <summary>A prepared command for <paramref name="sql"/>, cleared of parameters and enlisted in the current transaction.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection!.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = _transaction ?? throw new InvalidOperationException("Writes run inside RunAsync.");
        command.Parameters.Clear();
        return command;
    }

    /// <summary>Appends the next audit entry to the chain inside the current transaction.</summary>
    public AuditEntry Append(string workspaceId, Actor actor, string action, string subject, string data)
    {
        var entry = AuditChain.Seal(new AuditEntry
        {
            Sequence = _head.Sequence + 1,
            WorkspaceId = workspaceId,
            At = Now,
            ActorKind = actor.Kind,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Action = action,
            Subject = subject,
            Data = data,
            PreviousHash = _head.Hash,
            Hash = string.Empty,
        }, _head.Hash);

        Command("""
            INSERT INTO audit (seq, workspace_id, at, actor_kind, actor_id, actor_name, action, subject, data, prev_hash, hash)
            VALUES ($seq, $ws, $at, $kind, $actorId, $actorName, $action, $subject, $data, $prev, $hash)
            """)
            .Bind("$seq", entry.Sequence).Bind("$ws", entry.WorkspaceId).Bind("$at", AuditChain.FormatTime(entry.At))
            .Bind("$kind", entry.ActorKind).Bind("$actorId", entry.ActorId).Bind("$actorName", entry.ActorName)
            .Bind("$action", entry.Action).Bind("$subject", entry.Subject).Bind("$data", entry.Data)
            .Bind("$prev", entry.PreviousHash).Bind("$hash", entry.Hash)
            .ExecuteNonQuery();
        _head = new ChainHead(entry.Sequence, entry.Hash);
        return entry;
    }

    public void Dispose()
    {
        // Let queued writes finish rather than pulling their connection away.
        _queue.Writer.TryComplete();
        _processing.Join();
        _lock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _lock.Release();
        }
    }

    private ChainHead CurrentHead()
    {
        // data_version changes only when another connection (the CLI, say) committed to the file since we last asked.
        var dataVersion = (long)Command("PRAGMA data_version").ExecuteScalar()!;
        if (_committedHead is { } cached && dataVersion == _dataVersion)
        {
            return cached;
        }

        _dataVersion = dataVersion;
        using var reader = Command("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").ExecuteReader();
        return reader.Read() ? new ChainHead(reader.GetInt64(0), reader.GetString(1)) : new ChainHead(0, AuditChain.Genesis);
    }

    private SqliteConnection Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is not null)
        {
            return _connection;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(_databasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 10000;";
            pragmas.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
        return connection;
    }

    private readonly record struct ChainHead(long Sequence, string Hash);

    private interface IWrite
    {
        bool CancelIfRequested();

        void Run(SqliteWriter writer);

        void Fail(Exception exception);

        void Complete();
    }

    // One queued write: runs on the writer, and its caller hears of it only after the commit.
    private sealed class Write<T>(Func<SqliteWriter, T> work, CancellationToken cancellationToken) : IWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private bool _failed;

        public Task<T> Task => _done.Task;

        public bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _done.TrySetCanceled(cancellationToken);

        public void Run(SqliteWriter writer) => _result = work(writer);

        public void Fail(Exception exception)
        {
            _failed = true;
            _done.TrySetException(exception);
        }

        public void Complete()
        {
            if (!_failed)
            {
                _done.TrySetResult(_result!);
            }
        }
    }
}
