namespace Handoff.Client;

/// <summary>
/// Where a case is in its lifecycle. <see cref="Pending"/>, <see cref="Assigned"/>, <see cref="Escalated"/> and
/// <see cref="TakenOver"/> are open.
/// </summary>
public enum CaseStatus
{
    /// <summary>Waiting for a person.</summary>
    Pending,

    /// <summary>Claimed by a reviewer who is working on it.</summary>
    Assigned,

    /// <summary>Nobody decided in time and <c>onTimeout: escalate</c> raised it; still waiting for a person, without a decision.</summary>
    Escalated,

    /// <summary>Go ahead: by policy, by a person, or by timeout.</summary>
    Approved,

    /// <summary>Don't: by a person or by timeout.</summary>
    Rejected,

    /// <summary>A person answered in their own words.</summary>
    Responded,

    /// <summary>The policy refused the case outright.</summary>
    Blocked,

    /// <summary>
    /// A person took the conversation over and owns it: relay the customer's messages
    /// (<see cref="HandoffClient.PostCustomerMessageAsync"/>) and the person's replies
    /// (<see cref="HandoffClient.WaitForMessagesAsync"/>); the agent's own replies are refused until it is handed back.
    /// </summary>
    TakenOver,

    /// <summary>
    /// The person handed the conversation back: <see cref="Decision.Text"/> is their note, and
    /// <see cref="CaseDecision.Transcript"/> what was said meanwhile. Resume the conversation.
    /// </summary>
    HandedBack,
}
