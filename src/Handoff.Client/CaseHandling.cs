namespace Handoff.Client;

/// <summary>
/// What happens next to a case a person must see, as the server said when it took the case: for the agent to tell the
/// customer ("a person will join in about 3 minutes").
/// </summary>
/// <param name="Mode"><c>live</c>: it rings for an available person now; <c>queue</c>: a person follows up.</param>
/// <param name="ExpectedWait">How long until a person picks it up, estimated from recent pick-ups at its team.</param>
/// <param name="Basis">How the wait was estimated, in words ("median of 14 pick-ups at team billing, priority high, in the last 2 h").</param>
/// <param name="LiveUntil">For a live case, until when it rings before it falls back to the queue.</param>
public sealed record CaseHandling(string Mode, TimeSpan ExpectedWait, string Basis, DateTimeOffset? LiveUntil)
{
    /// <summary>Whether a person is being rung now, with the customer waiting on the line.</summary>
    public bool IsLive => Mode == "live";
}
