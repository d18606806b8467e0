using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Handoff.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Sqlite;

/// <summary>
/// The default store: one SQLite file in WAL mode, for one server process. Writes go through a single connection
/// one batch at a time (see <see cref="SqliteWriter"/>); reads use pooled connections of their own and never wait for
/// writes. Thread-safe; register one instance per database file and dispose it on shutdown.
/// </summary>
public sealed class SqliteHandoffStore : RelationalHandoffStore
{
    private readonly string _readConnectionString;

    /// <param name="databasePath">The database file; it and its directory are created by <see cref="RelationalHandoffStore.MigrateAsync"/> when missing.</param>
    /// <param name="timeProvider">The clock for audit entries and for creation times the store assigns itself.</param>
    /// <param name="meters">The host's meter factory for the store's metrics (<c>Handoff.Storage</c>); null for a meter of its own.</param>
    public SqliteHandoffStore(string databasePath, TimeProvider timeProvider, IMeterFactory? meters = null)
        : base(CreateWriter(databasePath, timeProvider, meters), timeProvider)
    {
        _readConnectionString = BuildConnectionString(databasePath);
    }

    /// <summary>
    /// The connection string Handoff uses for <paramref name="databasePath"/>: read-write, created when missing, with a
    /// private cache. <paramref name="pooling"/> is off for the long-lived writer, which has no use for a pool.
    /// </summary>
    public static string BuildConnectionString(string databasePath, bool pooling = true) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = pooling,
            DefaultTimeout = 5,
        }.ToString();

    /// <summary>The writer's checkpointer (for tests).</summary>
    internal SqliteCheckpointer Checkpointer => ((SqliteWriter)Writer).Checkpointer;

    // SQLite is a file on one machine; several server processes on it would each cache the audit head and fight for
    // the write lock. It has none of the optional abilities.
    public override bool Supports(StoreCapability capability) => false;

    private protected override string ApiKeyInsertionOrder => "rowid";

    // FTS5's bm25() is lower for closer matches; negated so that higher is closer, as on PostgreSQL.
    private protected override string PrecedentSql => $"""
        SELECT {string.Join(", ", Relational.DecisionLedger.Columns.Split(", ").Select(static c => "d." + c))}, -bm25(decisions_fts)
        FROM decisions_fts JOIN decisions d ON d.seq = decisions_fts.rowid
        WHERE decisions_fts MATCH @q AND d.workspace_id = @ws AND d.case_id <> @exclude
        ORDER BY d.action IS @action DESC, bm25(decisions_fts)
        LIMIT @limit
        """;

    private protected override string AnyOf(IReadOnlyList<string> terms) => string.Join(" OR ", terms.Select(static t => $"\"{t}\""));

    private protected override string AllOf(IReadOnlyList<string> terms) => string.Join(" AND ", terms.Select(static t => $"\"{t}\""));

    // As unicode61 with remove_diacritics 2 indexes a word: "café" as "cafe".
    private protected override string Fold(string term)
    {
        var decomposed = term.Normalize(System.Text.NormalizationForm.FormD);
        var folded = new System.Text.StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c);
            }
        }

        return folded.ToString().Normalize(System.Text.NormalizationForm.FormC);
    }

    // FTS5's vocabulary table: a lookup per word in the index, not a scan.
    private protected override async Task<IReadOnlyDictionary<string, long>?> TermFrequenciesAsync(IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        var names = terms.Select(static (_, i) => $"@t{i}").ToArray();
        var rows = await QueryAsync(
            $"SELECT term, doc FROM decisions_fts_vocab WHERE term IN ({string.Join(", ", names)})",
            static reader => (reader.GetString(0), reader.GetInt64(1)),
            cancellationToken,
            [.. terms.Select(static (t, i) => ($"@t{i}", (object?)t))]).ConfigureAwait(false);
        return rows.ToDictionary(static r => r.Item1, static r => r.Item2, StringComparer.Ordinal);
    }

    // The unary + keeps SQLite off ix_audit_subject, which would sort the whole workspace's log before taking a
    // page; walking the sequence backwards needs no sort and stops at the limit.
    private protected override string AuditSearchWorkspaceCondition => "+workspace_id = @ws";

    // The one writer seals each entry as it writes it: its id is its place in the chain.
    private protected override string UnsealedOrAfter => "a.seq > @after";

    private protected override string AuditIdColumn => "seq";

    private protected override string TeamsCondition => "team IN (SELECT value FROM json_each(@teams))";

    private protected override object TeamsParameter(IReadOnlyCollection<string> teams) => JsonSerializer.Serialize(teams);

    private protected override (string Reasons, string Verdict, string DeciderKind, string DecidedAt) CaseDocumentFields { get; } = (
        "json_extract(c.document, '$.evaluation.reasons')",
        "json_extract(c.document, '$.decision.verdict')",
        "json_extract(c.document, '$.decision.decidedBy.kind')",
        "json_extract(c.document, '$.decision.decidedAt')");

    private protected override (string Receipt, string ResultDigest) CaseReceiptFields { get; } = (
        "json_extract(c.document, '$.receipt')", "json_extract(c.document, '$.decision.resultDigest')");

    private protected override (string DueAt, string WarnAt) CaseSlaFields { get; } = (
        "json_extract(c.document, '$.sla.dueAt')", "json_extract(c.document, '$.sla.warnAt')");

    private protected override ValueTask<DbConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        // Opening is synchronous in Microsoft.Data.Sqlite anyway; this saves the async machinery.
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return ValueTask.FromResult<DbConnection>(connection);
    }

    // A deferred transaction takes no lock; in WAL mode its reads all see the snapshot its first read took.
    private protected override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // Pooled readers keep the file open; let it go so the file can be moved or deleted once we are done.
            using var connection = new SqliteConnection(_readConnectionString);
            SqliteConnection.ClearPool(connection);
        }
    }

    private static SqliteWriter CreateWriter(string databasePath, TimeProvider timeProvider, IMeterFactory? meters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new SqliteWriter(BuildConnectionString(databasePath, pooling: false), databasePath, timeProvider, meters);
    }
}
