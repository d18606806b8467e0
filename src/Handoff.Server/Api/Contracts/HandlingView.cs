namespace Handoff.Server.Api.Contracts;

/// <summary>
/// What happens next to a case a person must see, for the agent to tell the customer: <see cref="Mode"/> <c>live</c>
/// (it rings for an available person now) or <c>queue</c> (a person follows up), and the expected wait with its basis.
/// </summary>
/// <param name="ExpectedWaitSeconds">Whole seconds, rounded up.</param>
/// <param name="Basis">How the wait was estimated, in words ("median of 14 pick-ups at team billing, priority high, in the last 2 h").</param>
/// <param name="LiveUntil">For a live case, until when it rings before it falls back to the queue.</param>
public sealed record HandlingView(string Mode, long ExpectedWaitSeconds, string Basis, DateTimeOffset? LiveUntil);
