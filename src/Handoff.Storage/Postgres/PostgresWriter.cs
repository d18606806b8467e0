using System.Data.Common;
using System.Diagnostics.Metrics;
using Handoff.Core.Audit;
using Handoff.Storage.Relational;
using Npgsql;

namespace Handoff.Storage.Postgres;

/// <summary>
/// A node's one writing connection to PostgreSQL. Each batch's transaction first takes the advisory locks of its
/// writes' scopes (<see cref="WriteScope"/>), the same keys on every node: a write of the whole store takes the write
/// lock alone, so it runs with no other write of any node beside it; a scoped write (a submission, a claim, a
/// decision) takes the write lock shared and then its names' keys, in ascending order, so it waits only for writes of
/// the same case, person or idempotency key — and for a whole-store write. Group commit makes a batch carry every
/// write the node has queued. Audit entries are written unsealed — an id from a sequence, no place in the chain — and
/// the sealer chains them after commit (<see cref="PostgresHandoffStore.SealAuditAsync"/>), so the log itself asks
/// nothing of the locks. When the connection is lost before a batch commits (the database restarted, the connection
/// was killed), the batch runs again on a new connection, with growing pauses; a batch whose commit was cut off is not
/// run again — whether it committed is unknown, and its callers are told it failed.
/// </summary>
internal sealed class PostgresWriter : BatchWriter
{
    // The pauses between attempts: 50 ms, 100 ms, … 3.2 s, about six seconds in all (each attempt to connect may
    // wait longer when the host does not answer), enough for a database restart.
    private const int MaxAttempts = 7;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    public PostgresWriter(NpgsqlDataSource dataSource, TimeProvider time, IMeterFactory? meters)
        : base(time, "postgresql", "Handoff PostgreSQL writer", meters)
    {
        _dataSource = dataSource;
        _time = time;
        Start();
    }

    protected override DbConnection OpenConnection()
    {
        var connection = _dataSource.OpenConnection();
        // The write locks are held for a batch's transaction. A writer that stops mid-batch without its connection
        // closing (the process frozen, the network cut) would hold it for every node; the server ends such a session
        // once it has sat idle in its transaction this long, and the lock goes with it. A batch is never idle that long.
        using var command = new NpgsqlCommand("SET idle_in_transaction_session_timeout = '15s'", connection);
        command.ExecuteNonQuery();
        return connection;
    }

    protected override DbTransaction BeginBatch(DbConnection connection, WriteScope scope)
    {
        var transaction = ((NpgsqlConnection)connection).BeginTransaction();
        if (scope.Keys is { } keys)
        {
            AdvisoryLock.TakeScoped(transaction, keys);
        }
        else
        {
            AdvisoryLock.Take(transaction, AdvisoryLock.Writes);
        }

        return transaction;
    }

    protected override bool ReusesCommands => false;

    public override bool TryLock(long key) => (bool)Command("SELECT pg_try_advisory_xact_lock(@key)").Bind("@key", key).ExecuteScalar()!;

    // The entry's id comes from the sequence and nothing in the write reads it, so the insert goes with the write's
    // other statements.
    protected override void Insert(AuditEntry draft) =>
        Later("""
            INSERT INTO audit (workspace_id, at, actor_kind, actor_id, actor_name, action, subject, data)
            VALUES (@ws, @at, @kind, @actorId, @actorName, @action, @subject, @data)
            """)
            .Bind("@ws", draft.WorkspaceId).Bind("@at", AuditChain.FormatTime(draft.At))
            .Bind("@kind", draft.ActorKind).Bind("@actorId", draft.ActorId).Bind("@actorName", draft.ActorName)
            .Bind("@action", draft.Action).Bind("@subject", draft.Subject).Bind("@data", draft.Data);

    /// <summary>
    /// The statements a write held, in one round trip (<see cref="NpgsqlBatch"/>): each is prepared like a command
    /// of its own, and they run in order, the first failure stopping the rest.
    /// </summary>
    protected override void Send(IReadOnlyList<DbCommand> held)
    {
        if (held.Count == 1)
        {
            held[0].ExecuteNonQuery();
            return;
        }

        using var batch = new NpgsqlBatch((NpgsqlConnection)held[0].Connection!, (NpgsqlTransaction)Transaction);
        foreach (NpgsqlCommand command in held)
        {
            var statement = new NpgsqlBatchCommand(command.CommandText);
            var parameters = command.Parameters.ToArray();
            command.Parameters.Clear();
            statement.Parameters.AddRange(parameters);
            batch.BatchCommands.Add(statement);
        }

        batch.ExecuteNonQuery();
    }

    protected override bool ShouldRetry(Exception exception, bool committing, int attempt)
    {
        if (committing || attempt > MaxAttempts || !PostgresConnection.IsConnectionFailure(exception))
        {
            return false;
        }

        Thread.Sleep(TimeSpan.FromMilliseconds(25 << attempt));
        return true;
    }

    protected override bool ConnectionLost(Exception exception) => PostgresConnection.IsConnectionFailure(exception);

    protected override void Migrate(DbConnection connection) => PostgresMigrations.Apply((NpgsqlConnection)connection, _time);
}
