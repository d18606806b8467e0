namespace Handoff.Core.Routing;

/// <summary>A person as routing sees them at one moment: a snapshot the caller reads from the store.</summary>
/// <param name="PersonId">Stable id; the last tie-break, so the same inputs always choose the same person.</param>
/// <param name="Presence">Only <see cref="Routing.Presence.Online"/> people are offered cases.</param>
/// <param name="Skills">What the person can handle.</param>
/// <param name="Languages">What the person speaks.</param>
/// <param name="Capacity">How much load the person takes at once (in <see cref="LoadWeights"/> units).</param>
/// <param name="Load">The weights of the cases the person holds or has been offered, summed.</param>
/// <param name="LastAssignedAt">When the person was last given a case; null if never, which counts as idle longest.</param>
public sealed record RoutingCandidate(
    string PersonId,
    Presence Presence,
    TagSet Skills,
    TagSet Languages,
    int Capacity,
    int Load,
    DateTimeOffset? LastAssignedAt)
{
    /// <summary>The load the person can still take; zero or less when full.</summary>
    public int Free => Capacity - Load;
}
