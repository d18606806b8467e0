using System.Text;
using System.Text.Json;
using Handoff.Core.Audit;
using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Sqlite;

public sealed partial class SqliteHandoffStore
{
    private const string AuditColumns = "seq, workspace_id, at, actor_kind, actor_id, actor_name, action, subject, data, prev_hash, hash";

    /// <inheritdoc />
    /// <remarks>Pages hold at most 10,000 entries whatever <paramref name="limit"/> asks.</remarks>
    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>([]);
        }

        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AuditColumns} FROM audit WHERE seq > $after ORDER BY seq LIMIT $limit";
        command.Bind("$after", afterSequence).Bind("$limit", Math.Min(limit, MaxAuditPage));
        return Task.FromResult(ReadEntries(command));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Walks the log newest first and stops once the page is full, so a search that matches often is quick whatever
    /// the log's size; one that matches rarely reads back to the start. The text is matched in .NET rather than with
    /// SQLite's <c>lower</c> and <c>instr</c>, which fold ASCII letters only and would see the data's JSON escapes
    /// (<c>Jos\u00E9</c>) instead of what they stand for.
    /// </remarks>
    public Task<IReadOnlyList<AuditEntry>> SearchAuditAsync(string workspaceId, AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(query);
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : query.Text.Trim();
        using var connection = OpenReader();
        connection.CreateFunction<string, string, string, string, string, bool>(AuditMatchesFunction, AuditMatches, isDeterministic: true);
        using var command = connection.CreateCommand();
        // The unary + keeps SQLite off ix_audit_subject, which would sort the whole workspace's log before taking a
        // page; walking the sequence backwards needs no sort and stops at the limit.
        command.CommandText = $"""
            SELECT {AuditColumns} FROM audit
            WHERE +workspace_id = $ws AND seq < $before
            {(text is null ? "" : $"AND {AuditMatchesFunction}($text, action, subject, actor_name, data)")}
            ORDER BY seq DESC LIMIT $limit
            """;
        command.Bind("$ws", workspaceId).Bind("$before", query.BeforeSequence ?? long.MaxValue).Bind("$text", text)
            .Bind("$limit", Math.Clamp(query.Limit, 1, MaxPageSize));
        return Task.FromResult(ReadEntries(command));
    }

    public Task<IReadOnlyList<AuditEntry>> GetCaseHistoryAsync(string workspaceId, string caseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        // Key ids and policy versions are subjects too; only case actions belong to a case's history.
        command.CommandText = $"""
            SELECT {AuditColumns} FROM audit
            WHERE workspace_id = $ws AND subject = $subject AND substr(action, 1, {AuditData.CasePrefix.Length}) = $prefix
            ORDER BY seq
            """;
        command.Bind("$ws", workspaceId).Bind("$subject", caseId).Bind("$prefix", AuditData.CasePrefix);
        return Task.FromResult(ReadEntries(command));
    }

    private const string AuditMatchesFunction = "handoff_audit_matches";

    private static bool AuditMatches(string text, string action, string subject, string actorName, string data) =>
        action.Contains(text, StringComparison.OrdinalIgnoreCase)
        || subject.Contains(text, StringComparison.OrdinalIgnoreCase)
        || actorName.Contains(text, StringComparison.OrdinalIgnoreCase)
        || data.Contains(text, StringComparison.OrdinalIgnoreCase)
        || (data.Contains('\\', StringComparison.Ordinal) && EscapedJsonStringContains(data, text));

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

    private static IReadOnlyList<AuditEntry> ReadEntries(SqliteCommand command)
    {
        var entries = new List<AuditEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(new AuditEntry
            {
                Sequence = reader.GetInt64(0),
                WorkspaceId = reader.GetString(1),
                At = SqliteValues.ParseTime(reader.GetString(2)),
                ActorKind = reader.GetString(3),
                ActorId = reader.GetString(4),
                ActorName = reader.GetString(5),
                Action = reader.GetString(6),
                Subject = reader.GetString(7),
                Data = reader.GetString(8),
                PreviousHash = reader.GetString(9),
                Hash = reader.GetString(10),
            });
        }

        return entries;
    }
}
