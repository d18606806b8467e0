namespace Handoff.Client;

/// <summary>
/// The case timed out with <c>onTimeout: escalate</c>: nobody decided in time, there is no decision, and the case
/// waits for a person with priority urgent and no deadline. Tell the customer a person will follow up; wait again
/// (with <see cref="WaitOptions.KeepWaitingWhenEscalated"/>) or follow the case's events for the eventual decision.
/// </summary>
public sealed class CaseEscalatedException : HandoffException
{
    /// <summary>Creates the exception for a case.</summary>
    /// <param name="caseId">The case.</param>
    /// <param name="assignedTo">The reviewer holding it, if any.</param>
    public CaseEscalatedException(string caseId, Actor? assignedTo)
        : base($"Case {caseId} was escalated: nobody decided before it expired, and a person will follow up.")
    {
        CaseId = caseId;
        AssignedTo = assignedTo;
    }

    /// <summary>The escalated case.</summary>
    public string CaseId { get; }

    /// <summary>The reviewer holding the case, if any.</summary>
    public Actor? AssignedTo { get; }
}
