namespace Handoff.Core.Cases;

/// <summary>
/// Where a case is in its lifecycle. Pending, assigned, escalated and taken over are open: a person may still act on
/// them (see <see cref="CaseStatusExtensions.IsOpen"/>).
/// </summary>
public enum CaseStatus
{
    /// <summary>Waiting for a person.</summary>
    Pending,
    /// <summary>Claimed by a reviewer who is working on it.</summary>
    Assigned,
    /// <summary>Nobody decided in time and <c>onTimeout: escalate</c> raised it; still waiting for a person.</summary>
    Escalated,
    /// <summary>The agent may go ahead: by policy (auto), by a person, or by timeout.</summary>
    Approved,
    /// <summary>A person (or a timeout) said no.</summary>
    Rejected,
    /// <summary>A person answered in their own words.</summary>
    Responded,
    /// <summary>The policy refuses the case outright.</summary>
    Blocked,
    /// <summary>
    /// A person took the conversation over and owns it (<see cref="HandoffCase.AssignedTo"/>): the agent relays the
    /// customer's messages and the person's replies (<see cref="HandoffCase.Transcript"/>) and must not answer itself.
    /// Open; it never expires.
    /// </summary>
    TakenOver,
    /// <summary>The person who took the conversation over gave it back with a note (<see cref="Verdict.HandBack"/>).</summary>
    HandedBack,
}
