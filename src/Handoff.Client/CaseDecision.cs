namespace Handoff.Client;

/// <summary>
/// A case's decision as <see cref="HandoffClient.WaitForDecisionAsync(SubmittedCase, WaitOptions?, CancellationToken)"/>
/// hands it back: its digests have been checked against the proposal the agent submitted.
/// </summary>
/// <param name="CaseId">The case.</param>
/// <param name="Status">The case's status: <see cref="CaseStatus.Approved"/>, <see cref="CaseStatus.Rejected"/>,
/// <see cref="CaseStatus.Responded"/> or <see cref="CaseStatus.Blocked"/>.</param>
/// <param name="Decision">The decision.</param>
public sealed record CaseDecision(string CaseId, CaseStatus Status, Decision Decision)
{
    /// <summary>True when the agent may go ahead with <see cref="Decision.Result"/> (by a person, the policy or a timeout).</summary>
    public bool IsApproved => Status == CaseStatus.Approved;
}
