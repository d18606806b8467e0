using System.Data.Common;
using Handoff.Core.Cases;

namespace Handoff.Storage.Relational;

/// <summary>
/// The store written once in SQL for both backends (SQLite and PostgreSQL). Writes go through the backend's
/// <see cref="BatchWriter"/>, which runs them one batch at a time in one transaction each and keeps the audit chain;
/// reads use pooled connections of their own and never wait for writes. A backend supplies its connections, its
/// migrations and the few statements whose SQL differs (see the abstract members).
/// </summary>
public abstract partial class RelationalHandoffStore : IHandoffStore, IDisposable
{
    private const int MaxPageSize = 200;
    private protected const int MaxAuditPage = 10_000;

    private readonly BatchWriter _writer;
    private readonly TimeProvider _time;

    private protected RelationalHandoffStore(BatchWriter writer, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _writer = writer;
        _time = timeProvider;
    }

    public Task MigrateAsync(CancellationToken cancellationToken = default) => _writer.MigrateAsync(cancellationToken);

    /// <summary>The store's one writer, for a backend's own statements about it (its metrics), and for tests of it.</summary>
    internal BatchWriter Writer => _writer;

    /// <summary>The store's clock.</summary>
    private protected DateTimeOffset Now => _time.GetUtcNow();

    public abstract bool Supports(StoreCapability capability);

    /// <summary>Opens a pooled connection for reading.</summary>
    private protected abstract ValueTask<DbConnection> OpenReaderAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether a read failed because its connection was gone (a pooled connection the database dropped while it sat
    /// idle, say) rather than because of the read: such a read runs once more on a new connection.
    /// </summary>
    private protected virtual bool ReadLostItsConnection(Exception exception) => false;

    // --- the statements whose SQL differs between backends ---------------------------------------------------------

    /// <summary>The column that orders API keys created in the same tick by insertion.</summary>
    private protected abstract string ApiKeyInsertionOrder { get; }

    /// <summary>
    /// The condition "the audit entry belongs to workspace <c>@ws</c>" as the audit search should plan it: walking the
    /// sequence backwards and stopping at the page, not sorting a workspace's whole log first.
    /// </summary>
    private protected abstract string AuditSearchWorkspaceCondition { get; }

    /// <summary>The audit log's id column: <c>seq</c> itself where entries are sealed as they are written.</summary>
    private protected abstract string AuditIdColumn { get; }

    /// <summary>
    /// The condition "the entry <c>a</c> is sealed after <c>@after</c>, or not sealed yet": the first half alone where
    /// entries are sealed as they are written, so that the rowid's range is all the planner sees.
    /// </summary>
    private protected abstract string UnsealedOrAfter { get; }

    /// <summary>A condition that the case's <c>team</c> is one of <paramref name="teams"/>, and the value to bind as <c>@teams</c>.</summary>
    private protected abstract object TeamsParameter(IReadOnlyCollection<string> teams);

    /// <summary>The SQL condition using <c>@teams</c> (see <see cref="TeamsParameter"/>).</summary>
    private protected abstract string TeamsCondition { get; }

    /// <summary>
    /// What follows <c>FROM cases c</c> (or its join) in a query using <see cref="CaseDocumentFields"/> and
    /// <see cref="CaseSlaFields"/>, so that their expressions can share one parse of the document; empty when each
    /// expression reads <c>c.document</c> itself.
    /// </summary>
    private protected virtual string CaseDocumentSource => "";

    /// <summary>
    /// From the case document <c>c.document</c>, the expressions for: the evaluation's reasons as JSON text, the
    /// decision's verdict as text, the kind of actor who decided as text (null when nobody did, as on a timeout), and
    /// the decision's time as text.
    /// </summary>
    private protected abstract (string Reasons, string Verdict, string DeciderKind, string DecidedAt) CaseDocumentFields { get; }

    /// <summary>From the case document <c>c.document</c>, the expressions for its receipt and its decision's result digest (null when it has none).</summary>
    private protected abstract (string Receipt, string ResultDigest) CaseReceiptFields { get; }

    /// <summary>From the case document <c>c.document</c>, the expressions for its SLA's due and warning times as text (null when it has none).</summary>
    private protected abstract (string DueAt, string WarnAt) CaseSlaFields { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writer.Dispose();
        }
    }

    /// <summary>Runs a read on a connection of its own and reads every row with <paramref name="read"/>.</summary>
    private protected Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ReadAsync(async () =>
        {
            await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            return await QueryOnAsync(connection, null, sql, read, cancellationToken, parameters).ConfigureAwait(false);
        });

    /// <summary>
    /// Runs <paramref name="read"/>, and once more when its connection was gone (see <see cref="ReadLostItsConnection"/>):
    /// every read of the store on connections of its own goes through here.
    /// </summary>
    private async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (ReadLostItsConnection(e))
        {
            return await read().ConfigureAwait(false);
        }
    }

    /// <summary>Runs a read on <paramref name="connection"/> (in <paramref name="transaction"/>, when given) and reads every row.</summary>
    private static async Task<List<T>> QueryOnAsync<T>(
        DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Bind(name, value);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The first column of the first row, or null when there is no row or it is NULL.</summary>
    private Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ReadAsync(async () =>
        {
            await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            return await ScalarOnAsync(connection, null, sql, cancellationToken, parameters).ConfigureAwait(false);
        });

    /// <summary>The first column of the first row of a read on <paramref name="connection"/>, or null when there is none or it is NULL.</summary>
    private static async Task<object?> ScalarOnAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Bind(name, value);
        }

        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is DBNull ? null : result;
    }

    private string NewId(string prefix) => $"{prefix}_{Guid.CreateVersion7(_time.GetUtcNow()):N}";

    private static Actor ActorOf(Decision decision) => decision.DecidedBy ?? Actor.System;
}
