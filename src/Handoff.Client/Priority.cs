namespace Handoff.Client;

/// <summary>How urgent the policy made a case.</summary>
public enum Priority
{
    /// <summary>Low.</summary>
    Low,

    /// <summary>Normal.</summary>
    Normal,

    /// <summary>High.</summary>
    High,

    /// <summary>Urgent (also every case escalated by timeout).</summary>
    Urgent,
}
