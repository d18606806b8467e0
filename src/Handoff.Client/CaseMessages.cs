namespace Handoff.Client;

/// <summary>What <see cref="HandoffClient.WaitForMessagesAsync"/> hands back.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Status">Where the case stands: <see cref="CaseStatus.TakenOver"/> while the person talks; a closed status
/// (<see cref="CaseStatus.HandedBack"/>, or a decision) ends the relay: get it with <c>WaitForDecisionAsync</c>.</param>
/// <param name="AssignedTo">Who owns the conversation, if anyone.</param>
/// <param name="Messages">The messages numbered above the <c>after</c> asked for, oldest first; empty when the wait ran out.</param>
/// <param name="Last">The number of the transcript's last message: the next <c>after</c>.</param>
public sealed record CaseMessages(string CaseId, CaseStatus Status, Actor? AssignedTo, IReadOnlyList<CaseMessage> Messages, int Last)
{
    /// <summary>True while the case is open (a person may still reply, or take it over).</summary>
    public bool IsOpen => Status is CaseStatus.Pending or CaseStatus.Assigned or CaseStatus.Escalated or CaseStatus.TakenOver;
}
