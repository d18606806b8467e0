using System.Data.Common;
using System.Diagnostics.Metrics;
using Handoff.Storage.Relational;
using Npgsql;

namespace Handoff.Storage.Postgres;

/// <summary>
/// The store for several server processes ("nodes") on one PostgreSQL database. The SQL is the relational store's,
/// shared with SQLite; writes take turns across every node on one advisory lock (see <see cref="PostgresWriter"/>),
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

    private protected override string TeamsCondition => "team = ANY(@teams)";

    private protected override object TeamsParameter(IReadOnlyCollection<string> teams) => teams.ToArray();

    private protected override (string Reasons, string Verdict, string DeciderKind, string DecidedAt) CaseDocumentFields { get; } = (
        "c.document::jsonb #>> '{evaluation,reasons}'",
        "c.document::jsonb #>> '{decision,verdict}'",
        "c.document::jsonb #>> '{decision,decidedBy,kind}'",
        "c.document::jsonb #>> '{decision,decidedAt}'");

    private protected override (string Receipt, string ResultDigest) CaseReceiptFields { get; } = (
        "c.document::jsonb -> 'receipt'", "c.document::jsonb #>> '{decision,resultDigest}'");

    private protected override (string DueAt, string WarnAt) CaseSlaFields { get; } = (
        "c.document::jsonb #>> '{sla,dueAt}'", "c.document::jsonb #>> '{sla,warnAt}'");

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
