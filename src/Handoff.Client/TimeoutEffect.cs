namespace Handoff.Client;

/// <summary>What happens to a pending case whose expiry passes before anyone decided.</summary>
public enum TimeoutEffect
{
    /// <summary>The case is rejected (the server's default).</summary>
    Reject,

    /// <summary>The case is approved as proposed.</summary>
    Approve,

    /// <summary>The case stays open for a person with priority urgent and no expiry; there is no decision yet.</summary>
    Escalate,
}
