namespace Handoff.Client;

/// <summary>
/// A case's decision as <see cref="HandoffClient.WaitForDecisionAsync(SubmittedCase, WaitOptions?, CancellationToken)"/>
/// hands it back: its digests have been checked against the proposal the agent submitted.
/// </summary>
/// <param name="CaseId">The case.</param>
/// <param name="Status">The case's status: <see cref="CaseStatus.Approved"/>, <see cref="CaseStatus.Rejected"/>,
/// <see cref="CaseStatus.Responded"/>, <see cref="CaseStatus.Blocked"/> or <see cref="CaseStatus.HandedBack"/>.</param>
/// <param name="Decision">The decision.</param>
/// <param name="Transcript">The messages exchanged after submission (a takeover's conversation), oldest first; null when none.</param>
public sealed record CaseDecision(string CaseId, CaseStatus Status, Decision Decision, IReadOnlyList<CaseMessage>? Transcript = null)
{
    /// <summary>True when the agent may go ahead with <see cref="Decision.Result"/> (by a person, the policy or a timeout).</summary>
    public bool IsApproved => Status == CaseStatus.Approved;

    /// <summary>
    /// True when the person who took the conversation over handed it back: resume with <see cref="Transcript"/>, and
    /// <see cref="Decision.Text"/> as their note.
    /// </summary>
    public bool IsHandedBack => Status == CaseStatus.HandedBack;
}
