using System.Data.Common;
using System.Diagnostics.Metrics;
using Handoff.Core.Audit;
using Handoff.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Sqlite;

/// <summary>
/// The SQLite file's one writing connection. SQLite lets one writer in at a time anyway; queueing writes in-process
/// instead of on SQLite's lock means no SQLITE_BUSY and no retry sleeps. Each batch is a <c>BEGIN IMMEDIATE</c>
/// transaction, and audit entries are sealed as they are written (the file's one writer is the chain's one sealer): the
/// chain's head is remembered between batches unless another connection (the CLI, say) wrote. An entry's id is its
/// place in the chain (the table's rowid, <c>seq</c>).
/// </summary>
internal sealed class SqliteWriter : BatchWriter
{
    // SqliteCheckpointer copies the log back and starts it over beside the writer; the writer checkpoints itself only
    // if the log grows this large anyway (the checkpointer stopped, say).
    private const long BackstopCheckpointBytes = 160L * 1024 * 1024;
    private const long JournalSizeLimitBytes = 64L * 1024 * 1024;

    private readonly string _connectionString;
    private readonly string _databasePath;
    private readonly TimeProvider _time;

    // The last committed audit entry, so appending needs no read. Null means "read it from the database": after a
    // failed transaction (whose entries were rolled back) and whenever another connection has written to the file.
    private ChainHead? _committedHead;
    private ChainHead _head;
    private long _dataVersion;

    public SqliteWriter(string connectionString, string databasePath, TimeProvider time, IMeterFactory? meters)
        : base(time, "sqlite", "Handoff SQLite writer", meters)
    {
        _connectionString = connectionString;
        _databasePath = databasePath;
        _time = time;
        Checkpointer = new SqliteCheckpointer(databasePath, time);
        Start();
    }

    /// <summary>Copies the log back into the file after commits, off this writer's thread.</summary>
    internal SqliteCheckpointer Checkpointer { get; }

    protected override DbConnection OpenConnection()
    {
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
            // page_size applies only to a file that has no tables yet (an existing one keeps its own). 8 KiB pages
            // halve the WAL frames a commit writes (each frame is two pwrite calls): the writer's CPU per write went
            // down by 10-20 % (docs/benchmarks.md).
            pragmas.CommandText = "PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;";
            pragmas.ExecuteNonQuery();
            // The writer's own checkpoint is only a backstop (see SqliteCheckpointer), whatever the file's page size.
            pragmas.CommandText = "PRAGMA page_size";
            var pageSize = (long)pragmas.ExecuteScalar()!;
            // A restarted log keeps its file's size; past this, the file is cut back when the log starts over.
            pragmas.CommandText = $"PRAGMA wal_autocheckpoint = {BackstopCheckpointBytes / pageSize}; PRAGMA journal_size_limit = {JournalSizeLimitBytes}";
            pragmas.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return connection;
    }

    protected override DbTransaction BeginBatch(DbConnection connection, WriteScope scope) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    protected override void BatchStarted()
    {
        // data_version changes only when another connection (the CLI, say) committed to the file since we last asked.
        var dataVersion = (long)Command("PRAGMA data_version").ExecuteScalar()!;
        if (_committedHead is { } cached && dataVersion == _dataVersion)
        {
            _head = cached;
            return;
        }

        _dataVersion = dataVersion;
        using var reader = Command("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").ExecuteReader();
        _head = reader.Read() ? new ChainHead(reader.GetInt64(0), reader.GetString(1)) : ChainHead.Genesis;
    }

    protected override void BatchEnded(bool committed)
    {
        _committedHead = committed ? _head : null;
        if (committed)
        {
            Checkpointer.Wrote();
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Checkpointer.Dispose();
        }
    }

    protected override void Insert(AuditEntry draft)
    {
        var sequence = _head.Sequence + 1;
        var entry = AuditChain.Seal(draft with { Id = sequence, Sequence = sequence }, _head.Hash);
        Command("""
            INSERT INTO audit (seq, workspace_id, at, actor_kind, actor_id, actor_name, action, subject, data, prev_hash, hash)
            VALUES (@seq, @ws, @at, @kind, @actorId, @actorName, @action, @subject, @data, @prev, @hash)
            """)
            .Bind("@seq", entry.Sequence).Bind("@ws", entry.WorkspaceId).Bind("@at", AuditChain.FormatTime(entry.At))
            .Bind("@kind", entry.ActorKind).Bind("@actorId", entry.ActorId).Bind("@actorName", entry.ActorName)
            .Bind("@action", entry.Action).Bind("@subject", entry.Subject).Bind("@data", entry.Data)
            .Bind("@prev", entry.PreviousHash).Bind("@hash", entry.Hash)
            .ExecuteNonQuery();
        _head = new ChainHead(entry.Sequence, entry.Hash);
    }

    protected override void Migrate(DbConnection connection) => SqliteMigrations.Apply((SqliteConnection)connection, _time);

    private readonly record struct ChainHead(long Sequence, string Hash)
    {
        public static ChainHead Genesis { get; } = new(0, AuditChain.Genesis);
    }
}
