namespace Handoff.Core.Cases;

/// <summary>What happens to a pending case when nobody decided it in time.</summary>
public enum TimeoutEffect
{
    Reject,
    Approve,
    Escalate,
}
