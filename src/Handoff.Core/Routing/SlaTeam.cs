using Handoff.Core.Cases;

namespace Handoff.Core.Routing;

/// <summary>What the breach ladder needs of a case's team: where it overflows to and who supervises it (null for none).</summary>
public sealed record SlaTeam(string? OverflowTeam, Actor? Supervisor);
