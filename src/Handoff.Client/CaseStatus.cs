namespace Handoff.Client;

/// <summary>Where a case is in its lifecycle. <see cref="Pending"/>, <see cref="Assigned"/> and <see cref="Escalated"/> are open.</summary>
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
}
