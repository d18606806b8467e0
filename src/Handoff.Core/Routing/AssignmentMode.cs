namespace Handoff.Core.Routing;

/// <summary>How a team's cases reach its members.</summary>
public enum AssignmentMode
{
    /// <summary>Handoff offers each case to the best eligible member, one at a time, until one accepts.</summary>
    Push,
    /// <summary>Members take the next case themselves ("next case"); nothing is offered.</summary>
    Pull,
}
