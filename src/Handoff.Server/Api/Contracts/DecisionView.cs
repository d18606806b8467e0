using Handoff.Core.Cases;

namespace Handoff.Server.Api.Contracts;

/// <summary>What <c>GET /v1/cases/{id}/decision</c> answers: the case's id and status with its decision.</summary>
public sealed record DecisionView(string CaseId, CaseStatus Status, Decision Decision)
{
    /// <summary>Every approval, in order, when the case needed several (the two-person rule); null otherwise.</summary>
    public IReadOnlyList<Decision>? Approvals { get; init; }
}
