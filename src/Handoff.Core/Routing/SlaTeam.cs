using Handoff.Core.Cases;

namespace Handoff.Core.Routing;

/// <summary>
/// What the breach ladder needs of a case's team: where it overflows to, who supervises it (null for none), and
/// whether the supervisor has room within their capacity for the case at hand.
/// </summary>
public sealed record SlaTeam(string? OverflowTeam, Actor? Supervisor, bool SupervisorHasRoom = true);
