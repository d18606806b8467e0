using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Storage.Learning;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    /// <summary>Which QA queue a new case joins, or null: drawn for QA and approved without a person (see <see cref="GateJudgement.ForQa"/>).</summary>
    private static string? QaSource(HandoffCase c) =>
        c.Evaluation.Learned is { } learned && learned.ForQa(c.Evaluation.Outcome) ? (learned.Approved ? "learned" : "auto") : null;

    /// <summary>Adds a new case to the QA queue when it was drawn for it; in the transaction that stores the case.</summary>
    private static void EnqueueQa(BatchWriter w, HandoffCase stored)
    {
        if (QaSource(stored) is { } source)
        {
            w.Command("INSERT INTO qa_checks (case_id, workspace_id, source, created_at) VALUES (@case, @ws, @source, @created)")
                .Bind("@case", stored.Id).Bind("@ws", stored.WorkspaceId).Bind("@source", source).Bind("@created", DbValues.Time(stored.CreatedAt))
                .ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HandoffCase>> ListQaCasesAsync(string workspaceId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        limit = Math.Clamp(limit, 1, 1000);
        return await QueryAsync(
            """
            SELECT c.document FROM qa_checks q JOIN cases c ON c.id = q.case_id
            WHERE q.workspace_id = @ws AND q.checked_at IS NULL ORDER BY q.created_at, q.case_id LIMIT @limit
            """,
            static reader => CaseDocument.Deserialize(reader.GetString(0)),
            cancellationToken, ("@ws", workspaceId), ("@limit", limit)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<CaseUpdate> CheckQaAsync(string workspaceId, string caseId, QaReview review, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(review);
        return _writer.RunAsync(w =>
        {
            var waiting = w.Command("SELECT checked_at FROM qa_checks WHERE case_id = @case AND workspace_id = @ws")
                .Bind("@case", caseId).Bind("@ws", workspaceId).ExecuteScalar();
            if (waiting is null)
            {
                return CaseUpdate.NotFound;
            }

            var update = Transition(
                w, workspaceId, caseId, current => current.Qa is null && waiting is DBNull ? current with { Qa = review } : null,
                review.By, AuditData.CaseQaChecked, static changed => AuditData.QaChecked(changed.Qa!));
            if (update.Status == CaseUpdateStatus.Updated)
            {
                w.Command("UPDATE qa_checks SET checked_at = @at, agreed = @agreed WHERE case_id = @case")
                    .Bind("@at", DbValues.Time(review.At)).Bind("@agreed", review.Agreed ? 1 : 0).Bind("@case", caseId).ExecuteNonQuery();
            }

            return update;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<QaTally> CountQaAsync(string workspaceId, string source, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(source);
        var rows = await QueryAsync(
            """
            SELECT COUNT(checked_at), COUNT(CASE WHEN agreed = 0 THEN 1 END), COUNT(*) - COUNT(checked_at)
            FROM qa_checks WHERE workspace_id = @ws AND source = @source AND created_at >= @since
            """,
            static reader => new QaTally((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2)),
            cancellationToken, ("@ws", workspaceId), ("@source", source), ("@since", DbValues.Time(since))).ConfigureAwait(false);
        return rows[0];
    }
}
