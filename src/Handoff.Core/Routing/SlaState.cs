namespace Handoff.Core.Routing;

/// <summary>Where a waiting case stands against its SLA.</summary>
public enum SlaState
{
    /// <summary>Less than the warning share of its working time is used.</summary>
    Ok,
    /// <summary>At least the warning share (80 % by default) is used, but it is not yet due.</summary>
    Warning,
    /// <summary>It is due: the breach ladder applies.</summary>
    Breached,
}
