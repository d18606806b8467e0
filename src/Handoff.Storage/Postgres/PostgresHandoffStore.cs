using System.Data.Common;
using System.Diagnostics.Metrics;
using Handoff.Storage.Relational;
using Npgsql;

namespace Handoff.Storage.Postgres;

/// <summary>
/// The store for several server processes ("nodes") on one PostgreSQL database. The SQL is the relational store's,
/// shared with SQLite; writes that depend on the same case, person or idempotency key — and every write of the whole
/// store — take turns across every node on advisory locks (see <see cref="PostgresWriter"/>, <see cref="WriteScope"/>),
/// reads use the data source's pool. Thread-safe; register one instance per process and dispose it on shutdown.
/// </summary>
public sealed class PostgresHandoffStore : RelationalHandoffStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    /// <param name="dataSource">Where to connect (see <see cref="PostgresConnection.CreateDataSource"/>).</param>
    /// <param name="timeProvider">The clock for audit entries and for creation times the store assigns itself.</param>
    /// <param name="ownsDataSource">Whether disposing the store disposes <paramref name="dataSource"/>.</param>
    /// <param name="meters">The host's meter factory for the store's metrics (<c>Handoff.Storage</c>); null for a meter of its own.</param>
    public PostgresHandoffStore(NpgsqlDataSource dataSource, TimeProvider timeProvider, bool ownsDataSource = false, IMeterFactory? meters = null)
        : base(new PostgresWriter(dataSource ?? throw new ArgumentNullException(nameof(dataSource)), timeProvider, meters), timeProvider)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>The data source the store connects through, for the parts of a node that need a connection of their own.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    public override bool Supports(StoreCapability capability) => capability == StoreCapability.MultipleNodes;

    private protected override string ApiKeyInsertionOrder => "seq";

    private protected override string PrecedentSql => $"""
        SELECT {string.Join(", ", Relational.DecisionLedger.Columns.Split(", ").Select(static c => "d." + c))}, ts_rank(d.words, q)::double precision
        FROM decisions d, to_tsquery('simple', @q) q
        WHERE d.words @@ q AND d.workspace_id = @ws AND d.case_id <> @exclude
        ORDER BY d.action IS NOT DISTINCT FROM @action::text DESC, ts_rank(d.words, q) DESC
        LIMIT @limit
        """;

    private protected override string AnyOf(IReadOnlyList<string> terms) => string.Join(" | ", terms);

    private protected override string AllOf(IReadOnlyList<string> terms) => string.Join(" & ", terms);

    // PostgreSQL plans this by its statistics: the primary key walked backwards while workspaces are few and mixed,
    // ix_audit_subject when one workspace's entries are rare.
    private protected override string AuditSearchWorkspaceCondition => "workspace_id = @ws";

    // Entries are written unsealed with an id from a sequence; the sealer gives them their place (seq).
    private protected override string UnsealedOrAfter => "(a.seq > @after OR a.seq IS NULL)";

    private protected override string AuditIdColumn => "id";

    /// <inheritdoc />
    /// <remarks>
    /// On a connection of its own, beside the writers: the transaction first tries the sealer's advisory lock and
    /// gives up at once when another node holds it (that node is sealing; a node that died released it with its
    /// connection). Then it reads the chain's head and the oldest unsealed entries every writer has committed, chains
    /// them in memory and writes their places and hashes in one statement. Entries committed later with smaller ids
    /// (their writers began earlier) get later places: the chain's order is the order entries became visible to the
    /// sealer, and the sealed log only ever grows at its end.
    /// </remarks>
    public override async Task<int> SealAuditAsync(int maxEntries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One round trip when nothing waits, as on an idle cluster every node's sealer finds several times a second.
        await using (var waiting = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM audit WHERE seq IS NULL)", connection))
        {
            if (!(bool)(await waiting.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@key, hashtext(current_schema()))", connection, transaction))
        {
            take.Parameters.AddWithValue("key", AdvisoryLock.Sealer);
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        var unsealed = new List<Core.Audit.AuditEntry>();
        await using (var read = new NpgsqlCommand($"SELECT {AuditColumns} FROM audit WHERE seq IS NULL ORDER BY id LIMIT @limit", connection, transaction))
        {
            read.Parameters.AddWithValue("limit", maxEntries);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                unsealed.Add(ReadEntry(reader));
            }
        }

        if (unsealed.Count == 0)
        {
            return 0;
        }

        var (sequence, previous) = (0L, Core.Audit.AuditChain.Genesis);
        await using (var head = new NpgsqlCommand("SELECT seq, hash FROM audit WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                (sequence, previous) = (reader.GetInt64(0), reader.GetString(1));
            }
        }

        var ids = new long[unsealed.Count];
        var sequences = new long[unsealed.Count];
        var previousHashes = new string[unsealed.Count];
        var hashes = new string[unsealed.Count];
        for (var i = 0; i < unsealed.Count; i++)
        {
            var sealedEntry = Core.Audit.AuditChain.Seal(unsealed[i] with { Sequence = ++sequence }, previous);
            (ids[i], sequences[i], previousHashes[i], hashes[i]) = (sealedEntry.Id, sealedEntry.Sequence, sealedEntry.PreviousHash, sealedEntry.Hash);
            previous = sealedEntry.Hash;
        }

        await using (var seal = new NpgsqlCommand(
            """
            UPDATE audit a SET seq = v.seq, prev_hash = v.prev, hash = v.hash
            FROM unnest(@ids, @seqs, @prevs, @hashes) AS v(id, seq, prev, hash)
            WHERE a.id = v.id AND a.seq IS NULL
            """, connection, transaction))
        {
            seal.Parameters.AddWithValue("ids", ids);
            seal.Parameters.AddWithValue("seqs", sequences);
            seal.Parameters.AddWithValue("prevs", previousHashes);
            seal.Parameters.AddWithValue("hashes", hashes);
            var updated = await seal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (updated != unsealed.Count)
            {
                // Only a sealer changes these rows, and it holds the lock: anything else is someone else's doing.
                throw new InvalidOperationException($"Sealing {unsealed.Count} audit entries changed {updated} rows.");
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var now = Now;
        Writer.Metrics.Sealed(unsealed.Select(e => now - e.At));
        return unsealed.Count;
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<Core.Audit.AuditEntry>> ReadUnsealedAuditAsync(long afterId, int limit, CancellationToken cancellationToken = default) =>
        limit <= 0
            ? []
            : await QueryAsync(
                $"SELECT {AuditColumns} FROM audit WHERE seq IS NULL AND id > @after ORDER BY id LIMIT @limit", ReadEntry, cancellationToken,
                ("@after", afterId), ("@limit", Math.Min(limit, MaxAuditPage))).ConfigureAwait(false);

    /// <inheritdoc />
    public override async Task<UnsealedAudit> GetUnsealedAuditAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT count(*), min(at) FROM audit WHERE seq IS NULL", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var count = reader.GetInt64(0);
        return count == 0 || reader.IsDBNull(1) || !DbValues.TryParseTime(reader.GetString(1), out var oldest)
            ? new UnsealedAudit(count, null)
            : new UnsealedAudit(count, oldest);
    }

    private protected override string TeamsCondition => "team = ANY(@teams)";

    private protected override object TeamsParameter(IReadOnlyCollection<string> teams) => teams.ToArray();

    // The document is text: each ::jsonb parses all of it again, and the roll-up and the overview read six fields a
    // row. The lateral parses it once (OFFSET 0 keeps the planner from copying the cast into every field): a batch of
    // 100 closing entries read in 7–9 ms instead of 25–35 ms (docs/benchmarks.md).
    private protected override string CaseDocumentSource => "CROSS JOIN LATERAL (SELECT c.document::jsonb AS doc OFFSET 0) cd";

    private protected override (string Reasons, string Verdict, string DeciderKind, string DecidedAt) CaseDocumentFields { get; } = (
        "cd.doc #>> '{evaluation,reasons}'",
        "cd.doc #>> '{decision,verdict}'",
        "cd.doc #>> '{decision,decidedBy,kind}'",
        "cd.doc #>> '{decision,decidedAt}'");

    private protected override (string Receipt, string ResultDigest) CaseReceiptFields { get; } = (
        "c.document::jsonb -> 'receipt'", "c.document::jsonb #>> '{decision,resultDigest}'");

    private protected override (string DueAt, string WarnAt) CaseSlaFields { get; } = (
        "cd.doc #>> '{sla,dueAt}'", "cd.doc #>> '{sla,warnAt}'");

    private protected override async ValueTask<DbConnection> OpenReaderAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    // Repeatable read: every statement of the transaction sees the snapshot its first one took.
    private protected override async ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    // After a database restart every idle pooled connection is dead, and the first use of each finds out.
    private protected override bool ReadLostItsConnection(Exception exception) => PostgresConnection.IsConnectionFailure(exception);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }
}
