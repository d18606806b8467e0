using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Handoff.Core.Audit;
using Handoff.Core.Cases;

namespace Handoff.Storage.Relational;

/// <summary>
/// The one connection of a store that writes. Writes queue in-process (a channel drained by one thread) and run one
/// batch at a time, each batch in one transaction: writes that queue up while one commits are committed together
/// (group commit), so a burst of concurrent writes pays for one commit instead of one each; statements stay
/// prepared on the one connection. Every batch starts by taking the backend's write locks for the union of its writes'
/// scopes (<see cref="BeginBatch"/>, <see cref="WriteScope"/>): a write reads, checks and changes with nothing in
/// between that it depends on — on SQLite because the file has one writer, on PostgreSQL because the writes of every
/// node that name the same case, person or key take turns, and a write of the whole store runs alone. How an audit
/// entry is appended is the backend's (<see cref="Insert"/>): sealed
/// into the chain as it is written (SQLite, one writer), or unsealed, for the sealer to chain after commit
/// (PostgreSQL). The work passed to <c>RunAsync</c> is the only place <see cref="Command"/>, <see cref="Later"/> and
/// <see cref="Append"/> may be used.
/// </summary>
internal abstract class BatchWriter : IDisposable
{
    // Enough to amortise a commit over a burst; small enough that one batch never holds the lock for long.
    private const int MaxBatch = 256;

    // The scope keys one batch may take: on PostgreSQL each is an entry in the server's shared lock table (about
    // max_locks_per_transaction × max_connections entries, 6,400 by default), which several nodes' batches share.
    private const int MaxKeys = 128;

    private readonly TimeProvider _time;
    private readonly StoreMetrics _metrics;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    // Statements a write has handed to Later, in order, not yet sent.
    private readonly List<DbCommand> _held = [];
    // Synchronous continuations: a producer wakes the waiting writer thread directly, not through the thread pool.
    private readonly Channel<IWrite> _queue = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Thread _processing;

    // Everything below is guarded by _lock.
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private bool _disposed;

    /// <param name="backend">The backend's name in the store's metrics (<see cref="StoreMetrics"/>).</param>
    /// <param name="meters">Where the store's meter comes from; null for a meter of its own.</param>
    protected BatchWriter(TimeProvider time, string backend, string threadName, IMeterFactory? meters)
    {
        _time = time;
        _metrics = new StoreMetrics(meters, backend);
        // A thread of its own: the loop blocks on the database for every batch, and on a small machine a blocked
        // thread-pool thread starves the requests (measured: a quarter less throughput until the pool had grown).
        _processing = new Thread(Process) { IsBackground = true, Name = threadName };
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The store's metrics, which this writer's batches are recorded in.</summary>
    public StoreMetrics Metrics => _metrics;

    /// <summary>The transaction the current batch runs in.</summary>
    protected DbTransaction Transaction => _transaction ?? throw new InvalidOperationException("Writes run inside RunAsync.");

    /// <summary>Starts the writing thread; the last thing a subclass's constructor does.</summary>
    protected void Start() => _processing.Start();

    /// <summary>Opens the writer's connection.</summary>
    protected abstract DbConnection OpenConnection();

    /// <summary>
    /// Begins a batch's transaction on <paramref name="connection"/>, holding until it ends the locks of
    /// <paramref name="scope"/> (the union of its writes' scopes).
    /// </summary>
    protected abstract DbTransaction BeginBatch(DbConnection connection, WriteScope scope);

    /// <summary>A batch's transaction has begun: the backend reads what its appends need (the chain's head, say).</summary>
    protected virtual void BatchStarted()
    {
    }

    /// <summary>
    /// A batch ended: committed, or rolled back (also after migrations), when anything remembered from before may be
    /// wrong.
    /// </summary>
    protected virtual void BatchEnded(bool committed)
    {
    }

    /// <summary>Writes <paramref name="draft"/> (no id, no place in the chain yet) to the log.</summary>
    protected abstract void Insert(AuditEntry draft);

    /// <summary>
    /// A batch failed before it could commit (<paramref name="committing"/> false) or during its commit. True when
    /// the failure was the connection's rather than a write's, and every write of the batch may run again on a new
    /// connection; the connection is dropped either way when it is no longer open.
    /// </summary>
    protected virtual bool ShouldRetry(Exception exception, bool committing, int attempt) => false;

    /// <summary>Whether <paramref name="exception"/> says the connection is gone, so that it must be opened anew.</summary>
    protected virtual bool ConnectionLost(Exception exception) => false;

    /// <summary>Applies the backend's migrations on <paramref name="connection"/>.</summary>
    protected abstract void Migrate(DbConnection connection);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Migrate(Open());
            BatchEnded(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> atomically and returns once it is committed, or throws what it threw with all its
    /// changes rolled back. One write's failure never undoes another's (see <see cref="RunBatch"/>).
    /// </summary>
    public Task<T> RunAsync<T>(Func<BatchWriter, T> work, CancellationToken cancellationToken) =>
        RunAsync(WriteScope.Whole, work, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/>, which reads and changes only what <paramref name="scope"/> names, as
    /// <see cref="RunAsync{T}(Func{BatchWriter, T}, CancellationToken)"/> does.
    /// </summary>
    public Task<T> RunAsync<T>(WriteScope scope, Func<BatchWriter, T> work, CancellationToken cancellationToken)
    {
        var write = new Write<T>(scope, work, cancellationToken);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(GetType().Name);
        }

        return write.Task;
    }

    /// <summary>
    /// Whether <see cref="Command"/> may hand out the same command object again for the same SQL. SQLite keeps a
    /// command's compiled statement with the object; Npgsql prepares by SQL text on the connection, and a command it
    /// has prepared keeps the parameter objects it was first run with (npgsql/npgsql#3850), so it gets a new one.
    /// </summary>
    protected virtual bool ReusesCommands => true;

    /// <summary>
    /// A command for <paramref name="sql"/>, without parameters, enlisted in the current transaction, for a statement
    /// whose result the write reads. The statements held by <see cref="Later"/> are sent first, so it sees them.
    /// </summary>
    public DbCommand Command(string sql)
    {
        SendHeld();
        return NewCommand(sql);
    }

    /// <summary>
    /// A command for one statement whose result the write does not need (an update, an insert), which the caller binds
    /// and must not run: it is sent with the write's other such statements — before the next <see cref="Command"/>, and
    /// at the latest when the write's work returns, so its failure is still that write's (though it surfaces at the call
    /// that sent it). A backend that pays a round trip per statement sends them together in one (<see cref="Send"/>;
    /// one statement each: PostgreSQL's batches refuse several joined by semicolons).
    /// </summary>
    public DbCommand Later(string sql)
    {
        if (ReusesCommands)
        {
            // The same command object comes back for the same text: what it holds must run before it is bound again.
            SendHeld();
        }

        var command = NewCommand(sql);
        _held.Add(command);
        return command;
    }

    /// <summary>Runs the statements <see cref="Later"/> held, in order; by default one at a time.</summary>
    protected virtual void Send(IReadOnlyList<DbCommand> held)
    {
        foreach (var command in held)
        {
            command.ExecuteNonQuery();
        }
    }

    private void SendHeld()
    {
        if (_held.Count == 0)
        {
            return;
        }

        try
        {
            Send(_held);
        }
        finally
        {
            _held.Clear();
        }
    }

    private DbCommand NewCommand(string sql)
    {
        if (!ReusesCommands)
        {
            var fresh = _connection!.CreateCommand();
            fresh.CommandText = sql;
            fresh.Transaction = Transaction;
            return fresh;
        }

        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection!.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = Transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// Takes the lock of a scope's <paramref name="key"/> in the current batch if nobody else holds it; false, without
    /// waiting, when someone does (where writes take turns anyway, always true): how a write finds, among things it
    /// did not name beforehand, one that nobody else is changing. What it read of that thing before must be read again.
    /// </summary>
    public virtual bool TryLock(long key) => true;

    /// <summary>Appends an audit entry inside the current transaction.</summary>
    public void Append(string workspaceId, Actor actor, string action, string subject, string data) => Insert(new AuditEntry
    {
        Id = 0,
        Sequence = 0,
        WorkspaceId = workspaceId,
        At = AuditChain.NormalizeTime(Now),
        ActorKind = actor.Kind,
        ActorId = actor.Id,
        ActorName = actor.Name,
        Action = action,
        Subject = subject,
        Data = data,
        PreviousHash = string.Empty,
        Hash = string.Empty,
    });

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        // Let queued writes finish rather than pulling their connection away.
        _queue.Writer.TryComplete();
        if (_processing.IsAlive)
        {
            _processing.Join();
        }

        _lock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            DropConnection();
            _metrics.Dispose();
        }
        finally
        {
            _lock.Release();
        }
    }

    private void Process()
    {
        var batch = new List<IWrite>(MaxBatch);
        // A write that would have taken its batch past MaxKeys, which begins the next one.
        IWrite? carried = null;
        while (carried is not null || _queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            // Let requests already running queue their writes first: under load this made batches about four times
            // larger (3 → 14 writes a commit), and a commit costs far more than a write.
            Thread.Yield();
            batch.Clear();
            var keys = 0;
            if (carried is not null)
            {
                batch.Add(carried);
                keys = carried.Scope.Keys?.Length ?? 0;
                carried = null;
            }

            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                if (write.CancelIfRequested())
                {
                    continue;
                }

                var more = write.Scope.Keys?.Length ?? 0;
                if (keys + more > MaxKeys)
                {
                    carried = write;
                    break;
                }

                batch.Add(write);
                keys += more;
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
        // isolate a failure but cost a sub-journal each (measured on SQLite: about 40 % of the batch's time), so
        // instead a write that throws fails alone, the transaction is rolled back and the others run again as a new
        // batch: writes are plain database work that reads its state inside the transaction, so running one again is
        // safe. A failure that is not a write's own (the connection is gone, the disk full) fails the whole batch at
        // once, unless the backend says it may run again on a new connection.
        var pending = batch;
        var attempt = 0;
        // Wall time for an operator's histogram, not logic: the store's TimeProvider may be a test's frozen clock.
        var started = Stopwatch.GetTimestamp();
        while (pending.Count > 0)
        {
            var (committed, failedWrite, error, committing) = TryCommit(pending);
            if (committed)
            {
                // Counted before the callers hear of it, so that a caller who then reads the metrics finds its batch.
                _metrics.BatchCommitted(pending.Count, Stopwatch.GetElapsedTime(started));
                foreach (var write in pending)
                {
                    write.Complete();
                }

                return;
            }

            if (failedWrite is null || _connection is null)
            {
                if (!committing && ShouldRetry(error!, committing, ++attempt))
                {
                    continue;
                }

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

    private (bool Committed, IWrite? FailedWrite, Exception? Error, bool Committing) TryCommit(List<IWrite> writes)
    {
        IWrite? running = null;
        var committing = false;
        try
        {
            var connection = Open();
            using (var transaction = BeginBatch(connection, WriteScope.Union(writes.Select(static write => write.Scope))))
            {
                _transaction = transaction;
                BatchStarted();
                foreach (var write in writes)
                {
                    running = write;
                    write.Run(this);
                    SendHeld();
                }

                running = null;
                committing = true;
                transaction.Commit();
            }

            BatchEnded(true);
        }
#pragma warning disable CA1031 // The exception goes back to the caller whose write caused it, or to every caller.
        catch (Exception e)
#pragma warning restore CA1031
        {
            BatchEnded(false);
            if (_connection is { State: not System.Data.ConnectionState.Open } || ConnectionLost(e))
            {
                DropConnection();
                running = null;
            }

            return (false, running, e, committing);
        }
        finally
        {
            _transaction = null;
            // A write that failed before its held statements were sent leaves them to nobody.
            _held.Clear();
        }

        return (true, null, null, false);
    }

    private DbConnection Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _connection ??= OpenConnection();
    }

    private void DropConnection()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        _connection?.Dispose();
        _connection = null;
    }

    private interface IWrite
    {
        WriteScope Scope { get; }

        bool CancelIfRequested();

        void Run(BatchWriter writer);

        void Fail(Exception exception);

        void Complete();
    }

    // One queued write: runs on the writer, and its caller hears of it only after the commit.
    private sealed class Write<T>(WriteScope scope, Func<BatchWriter, T> work, CancellationToken cancellationToken) : IWrite
    {
        public WriteScope Scope => scope;

        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private bool _failed;

        public Task<T> Task => _done.Task;

        public bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _done.TrySetCanceled(cancellationToken);

        public void Run(BatchWriter writer) => _result = work(writer);

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
