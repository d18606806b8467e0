using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Statistics;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Reads <c>ix_cases_open</c>, a partial index of the open cases in inbox order, so the work grows with the limit,
    /// not with the number of cases. The status condition must stay word for word the index's, or the database cannot use it.
    /// </remarks>
    public async Task<IReadOnlyList<HandoffCase>> ListOpenCasesAsync(
        string workspaceId, IReadOnlyCollection<string>? teams, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        if (teams is { Count: 0 })
        {
            return [];
        }

        // The teams go in as one parameter, so the statement text is the same whatever their number.
        List<(string, object?)> parameters = [("@ws", workspaceId), ("@limit", Math.Clamp(limit, 1, MaxPageSize))];
        if (teams is not null)
        {
            parameters.Add(("@teams", TeamsParameter(teams)));
        }

        // Taken-over cases are open too, but ix_cases_open (made before takeovers) does not hold them: they are read
        // apart through ix_cases_status, each part at most a page long, and only those two pages are merged and sorted.
        var team = teams is null ? "" : $"AND {TeamsCondition}";
        return await QueryAsync(
            $"""
            SELECT document FROM (
                SELECT * FROM (
                    SELECT document, priority, created_at, seq FROM cases
                    WHERE workspace_id = @ws AND status IN ('pending', 'assigned', 'escalated')
                    {team}
                    ORDER BY priority DESC, created_at, seq
                    LIMIT @limit) AS waiting
                UNION ALL
                SELECT * FROM (
                    SELECT document, priority, created_at, seq FROM cases
                    WHERE workspace_id = @ws AND status = 'takenOver'
                    {team}
                    ORDER BY priority DESC, created_at, seq
                    LIMIT @limit) AS talking
            ) AS open_cases
            ORDER BY priority DESC, created_at, seq
            LIMIT @limit
            """,
            static reader => CaseDocument.Deserialize(reader.GetString(0)),
            cancellationToken,
            [.. parameters]).ConfigureAwait(false);
    }

    // A case timed out when it has a case.expired audit entry: the document alone cannot tell, because a case that
    // onTimeout: escalate raised keeps no mark of it once a person decides. A person decided when the decision names
    // who did and that is neither the policy (auto and block cases) nor Handoff itself, as Actor.IsPerson says. The
    // columns are CaseRecordColumns.
    private static CaseRecord ReadCaseRecord(DbDataReader reader)
    {
        var reasons = JsonSerializer.Deserialize<Reason[]>(reader.GetString(3), HandoffJson.Options) ?? [];
        var verdict = DbValues.ReadString(reader, 4);
        var decidedAt = DbValues.ReadString(reader, 7);
        return new CaseRecord(
            DbValues.ParseTime(reader.GetString(0)),
            DbValues.ParseName<Outcome>(reader.GetString(1)),
            DbValues.ParseName<CaseStatus>(reader.GetString(2)),
            [.. reasons.Where(static reason => reason.AskedForAPerson).Select(static reason => reason.Rule)],
            verdict is null ? null : DbValues.ParseName<Verdict>(verdict),
            reader.GetBoolean(5),
            reader.GetBoolean(6),
            // The document's own time format (System.Text.Json's), not the columns' fixed-width one.
            decidedAt is null ? null : DocumentTime(decidedAt))
        {
            SlaDueAt = DbValues.ReadString(reader, 8) is { } due ? DocumentTime(due) : null,
            SlaWarnAt = DbValues.ReadString(reader, 9) is { } warn ? DocumentTime(warn) : null,
        };
    }

    private static DateTimeOffset DocumentTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
