using System.Data.Common;
using System.Diagnostics.Metrics;
using Handoff.Storage.Relational;
using Npgsql;

namespace Handoff.Storage.Postgres;

/// <summary>
/// A node's one writing connection to PostgreSQL. Each batch's transaction first takes a transaction-level advisory
/// lock, the same for every node, so write transactions take turns across the whole cluster: the audit chain gets one
/// next entry, and a claim or decision reads and changes its case with no other write in between. Group commit makes
/// a turn carry every write the node has queued. The head is read in every batch: another node may have written.
/// When the connection is lost before a batch commits (the database restarted, the connection was killed), the
/// batch runs again on a new connection, with growing pauses; a batch whose commit was cut off is not run again —
/// whether it committed is unknown, and its callers are told it failed.
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
        // The write lock is held for a batch's transaction. A writer that stops mid-batch without its connection
        // closing (the process frozen, the network cut) would hold it for every node; the server ends such a session
        // once it has sat idle in its transaction this long, and the lock goes with it. A batch is never idle that long.
        using var command = new NpgsqlCommand("SET idle_in_transaction_session_timeout = '15s'", connection);
        command.ExecuteNonQuery();
        return connection;
    }

    protected override DbTransaction BeginBatch(DbConnection connection)
    {
        var transaction = ((NpgsqlConnection)connection).BeginTransaction();
        AdvisoryLock.Take(transaction, AdvisoryLock.Writes);
        return transaction;
    }

    protected override ChainHead ReadHead()
    {
        using var reader = Command("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").ExecuteReader();
        return reader.Read() ? new ChainHead(reader.GetInt64(0), reader.GetString(1)) : ChainHead.Genesis;
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
