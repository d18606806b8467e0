using Handoff.Core.Cases;

namespace Handoff.Server.Api.Contracts;

/// <summary>
/// What <c>GET /v1/cases/{id}/decision</c> answers: the case's id and status with its decision, and the transcript of
/// messages exchanged after submission (omitted when there were none), with which an agent resumes after a handback.
/// </summary>
public sealed record DecisionView(string CaseId, CaseStatus Status, Decision Decision, IReadOnlyList<CaseMessage>? Transcript = null)
{
    /// <summary>Every approval, in order, when the case needed several (the two-person rule); null otherwise.</summary>
    public IReadOnlyList<Decision>? Approvals { get; init; }
}
