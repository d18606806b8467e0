using System.Data.Common;
using System.Text;
using System.Text.Json;
using Handoff.Core.Audit;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    // The entry's id, then its place in the chain (null until sealed): the two are one column where entries are
    // sealed as they are written (AuditIdColumn).
    private protected string AuditColumns => $"{AuditIdColumn}, seq, workspace_id, at, actor_kind, actor_id, actor_name, action, subject, data, prev_hash, hash";

    /// <inheritdoc />
    public virtual Task<int> SealAuditAsync(int maxEntries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        return Task.FromResult(0);
    }

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<AuditEntry>> ReadUnsealedAuditAsync(long afterId, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>([]);

    /// <inheritdoc />
    public virtual Task<UnsealedAudit> GetUnsealedAuditAsync(CancellationToken cancellationToken = default) => Task.FromResult(UnsealedAudit.None);

    /// <inheritdoc />
    /// <remarks>Pages hold at most 10,000 entries whatever <paramref name="limit"/> asks.</remarks>
    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        return await QueryAsync(
            $"SELECT {AuditColumns} FROM audit WHERE seq > @after ORDER BY seq LIMIT @limit", ReadEntry, cancellationToken,
            ("@after", afterSequence), ("@limit", Math.Min(limit, MaxAuditPage))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Walks the log newest first and stops once the page is full, so a search that matches often is quick whatever
    /// the log's size; one that matches rarely reads back to the start. The text is matched in .NET rather than in SQL,
    /// whose <c>lower</c> folds ASCII letters only (SQLite's; PostgreSQL's depends on the locale) and which would see
    /// the data's JSON escapes (<c>Jos\u00E9</c>) instead of what they stand for.
    /// </remarks>
    public async Task<IReadOnlyList<AuditEntry>> SearchAuditAsync(string workspaceId, AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(query);
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : query.Text.Trim();
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);
        var sql = $"""
            SELECT {AuditColumns} FROM audit
            WHERE {AuditSearchWorkspaceCondition} AND seq < @before
            ORDER BY seq DESC LIMIT @limit
            """;
        if (text is null)
        {
            return await QueryAsync(sql, ReadEntry, cancellationToken, ("@ws", workspaceId), ("@before", query.BeforeSequence ?? long.MaxValue), ("@limit", limit))
                .ConfigureAwait(false);
        }

        // Chunks of the log, newest first, matched here until the page is full or the log ends.
        var found = new List<AuditEntry>(limit);
        var before = query.BeforeSequence ?? long.MaxValue;
        while (true)
        {
            var chunk = await QueryAsync(sql, ReadEntry, cancellationToken, ("@ws", workspaceId), ("@before", before), ("@limit", SearchChunk))
                .ConfigureAwait(false);
            foreach (var entry in chunk)
            {
                if (AuditMatches(text, entry))
                {
                    found.Add(entry);
                    if (found.Count == limit)
                    {
                        return found;
                    }
                }
            }

            if (chunk.Count < SearchChunk)
            {
                return found;
            }

            before = chunk[^1].Sequence;
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> GetCaseHistoryAsync(string workspaceId, string caseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        // Key ids and policy versions are subjects too; only case actions belong to a case's history.
        return await QueryAsync(
            $"""
            SELECT {AuditColumns} FROM audit
            WHERE workspace_id = @ws AND subject = @subject AND substr(action, 1, {AuditData.CasePrefix.Length}) = @prefix
            ORDER BY {AuditIdColumn}
            """,
            ReadEntry,
            cancellationToken,
            ("@ws", workspaceId), ("@subject", caseId), ("@prefix", AuditData.CasePrefix)).ConfigureAwait(false);
    }

    // Enough entries a round trip that a search over a long log is a few dozen queries, few enough that a search
    // which fills its page early reads little more than it shows.
    private const int SearchChunk = 500;

    private static bool AuditMatches(string text, AuditEntry entry) =>
        entry.Action.Contains(text, StringComparison.OrdinalIgnoreCase)
        || entry.Subject.Contains(text, StringComparison.OrdinalIgnoreCase)
        || entry.ActorName.Contains(text, StringComparison.OrdinalIgnoreCase)
        || entry.Data.Contains(text, StringComparison.OrdinalIgnoreCase)
        || (entry.Data.Contains('\\', StringComparison.Ordinal) && EscapedJsonStringContains(entry.Data, text));

    // Only the strings that hold escapes need decoding; the raw data already answered for the others.
    private static bool EscapedJsonStringContains(string json, string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        try
        {
            while (reader.Read())
            {
                if (reader is { TokenType: JsonTokenType.String or JsonTokenType.PropertyName, ValueIsEscaped: true }
                    && reader.GetString()!.Contains(text, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            // Every entry's data is written as JSON; an entry that is not has matched as far as it could above.
        }

        return false;
    }

    // A row changed underneath the store (a time that is not a time, a field set to NULL) is reported by its sequence
    // (its id while unsealed), so that a verifier can name it instead of failing on a parser's message.
    private protected static AuditEntry ReadEntry(DbDataReader reader)
    {
        var id = reader.GetInt64(0);
        var sequence = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        var name = sequence > 0 ? sequence : id;
        string Field(int ordinal) => reader.IsDBNull(ordinal)
            ? throw BrokenRecordException.Entry(name, $"its {reader.GetName(ordinal)} is missing")
            : reader.GetString(ordinal);

        var at = Field(3);
        if (!DbValues.TryParseTime(at, out var parsedAt))
        {
            throw BrokenRecordException.Entry(name, $"its time '{at}' is not a time");
        }

        return new()
        {
            Id = id,
            Sequence = sequence,
            WorkspaceId = Field(2),
            At = parsedAt,
            ActorKind = Field(4),
            ActorId = Field(5),
            ActorName = Field(6),
            Action = Field(7),
            Subject = Field(8),
            Data = Field(9),
            PreviousHash = sequence > 0 ? Field(10) : string.Empty,
            Hash = sequence > 0 ? Field(11) : string.Empty,
        };
    }
}
