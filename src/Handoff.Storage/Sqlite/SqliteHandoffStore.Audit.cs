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
