using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    /// <inheritdoc />
    public Task<CaseUpdate> ReassignCaseAsync(string workspaceId, string caseId, Actor to, Actor by, string? note, DateTimeOffset at, string? heldBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        return Handover(workspaceId, caseId, current => Handovers.ToPerson(current, to, heldBy, at), by, AuditData.CaseReassigned, note, at, cancellationToken);
    }

    /// <inheritdoc />
    public Task<CaseUpdate> TransferCaseAsync(string workspaceId, string caseId, Actor? toPerson, string? toTeam, Actor by, string? note, DateTimeOffset at, string? heldBy, CancellationToken cancellationToken = default)
    {
        if ((toPerson is null) == (toTeam is null))
        {
            throw new ArgumentException("Transfer to a person or to a team, exactly one of them.", nameof(toTeam));
        }

        return toPerson is not null
            ? Handover(workspaceId, caseId, current => Handovers.ToPerson(current, toPerson, heldBy, at), by, AuditData.CaseTransferred, note, at, cancellationToken)
            : Handover(workspaceId, caseId, current => Handovers.ToTeam(current, toTeam!, heldBy, at), by, AuditData.CaseTransferred, note, at, cancellationToken);
    }

    private Task<CaseUpdate> Handover(
        string workspaceId, string caseId, Func<HandoffCase, HandoffCase?> change, Actor by, string action, string? note, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(by);
        return _writer.RunAsync(w =>
        {
            if (ReadForUpdate(w, workspaceId, caseId) is not var (seq, current))
            {
                return CaseUpdate.NotFound;
            }

            if (change(current) is not { } changed)
            {
                return new CaseUpdate(CaseUpdateStatus.Conflict, current);
            }

            if (ReferenceEquals(changed, current))
            {
                return new CaseUpdate(CaseUpdateStatus.Updated, current);
            }

            if (!Fits(w, workspaceId, current, changed))
            {
                return new CaseUpdate(CaseUpdateStatus.OverCapacity, current);
            }

            Update(w, seq, changed);
            // The new holder's claim starts now: kept from the previous holder, it could be released for their absence.
            // The team column is written apart because only a transfer ever changes a case's team.
            w.Command("""
                UPDATE cases SET team = @team, claim_seen_at = CASE WHEN claim_seen_at IS NULL THEN NULL ELSE @at END
                WHERE seq = @seq
                """).Bind("@team", changed.Evaluation.Team).Bind("@at", DbValues.Time(at)).Bind("@seq", seq).ExecuteNonQuery();
            w.Append(workspaceId, by, action, caseId, AuditData.Handover(current, changed, note));
            return new CaseUpdate(CaseUpdateStatus.Updated, changed);
        }, cancellationToken);
    }
}
