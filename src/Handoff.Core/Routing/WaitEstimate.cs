namespace Handoff.Core.Routing;

/// <summary>How long a new case is expected to wait for a person, and why.</summary>
/// <param name="Expected">The estimate.</param>
/// <param name="Basis">What it was computed from.</param>
/// <param name="Samples">How many pick-ups it rests on (0 for the default).</param>
/// <param name="Explanation">
/// The basis in words, for an agent to relay or an operator to read: "median of 14 pick-ups at team billing, priority
/// high, in the last 2 h".
/// </param>
public sealed record WaitEstimate(TimeSpan Expected, WaitBasis Basis, int Samples, string Explanation);
