using Handoff.Core.Cases;

namespace Handoff.Core.Routing;

/// <summary>One case a person took from a team's queue: the raw material of expected waits.</summary>
/// <param name="Team">The team whose queue it waited in.</param>
/// <param name="Priority">Its priority while it waited.</param>
/// <param name="QueuedAt">When it started waiting for a person.</param>
/// <param name="AcceptedAt">When a person accepted it (an offer accepted, or taken as next case).</param>
public sealed record PickUp(string Team, Priority Priority, DateTimeOffset QueuedAt, DateTimeOffset AcceptedAt)
{
    /// <summary>How long it waited.</summary>
    public TimeSpan Wait => AcceptedAt - QueuedAt;
}
