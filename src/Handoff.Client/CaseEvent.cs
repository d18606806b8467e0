using System.Text.Json.Nodes;

namespace Handoff.Client;

/// <summary>One entry of a case's history, as <c>GET /v1/cases/{id}/events</c> sends it.</summary>
/// <param name="Sequence">The entry's id, also its event id: increasing within a case (on SQLite also its place in the
/// audit chain; on PostgreSQL not, and not comparable with the workspace stream's ids).</param>
/// <param name="Action"><c>case.created</c>, <c>case.claimed</c>, <c>case.released</c>, <c>case.decided</c>, <c>case.expired</c>,
/// <c>case.takenOver</c>, <c>case.message</c> or <c>case.handedBack</c>.</param>
/// <param name="At">When it happened.</param>
/// <param name="Actor">Who did it (the system actor for a timeout).</param>
/// <param name="Data">What the entry records, such as <c>status</c>, <c>verdict</c> or <c>proposalDigest</c>; see docs/api.md.</param>
public sealed record CaseEvent(long Sequence, string Action, DateTimeOffset At, Actor Actor, JsonObject Data)
{
    /// <summary>The <see cref="Action"/> of a takeover: a person owns the conversation; relay instead of answering.</summary>
    public const string TakenOver = "case.takenOver";

    /// <summary>The <see cref="Action"/> of a message added to the transcript.</summary>
    public const string MessageAdded = "case.message";

    /// <summary>The <see cref="Action"/> of a handback: the conversation is the agent's again.</summary>
    public const string HandedBack = "case.handedBack";

    /// <summary>
    /// The <see cref="Action"/> of a live case nobody picked up within its live wait: it is queued now; tell the
    /// customer <see cref="ExpectedWait"/> (and <see cref="WaitBasis"/>).
    /// </summary>
    public const string LiveFallback = "case.liveFallback";

    /// <summary>For a <see cref="LiveFallback"/> event, the expected wait in the queue; otherwise null.</summary>
    public TimeSpan? ExpectedWait => Action == LiveFallback && Data["expectedWaitSeconds"]?.GetValue<long>() is { } s ? TimeSpan.FromSeconds(s) : null;

    /// <summary>For a <see cref="LiveFallback"/> event, how <see cref="ExpectedWait"/> was estimated; otherwise null.</summary>
    public string? WaitBasis => Action == LiveFallback ? Data["basis"]?.GetValue<string>() : null;

    /// <summary>Who spoke, for a <see cref="MessageAdded"/> event; otherwise null.</summary>
    public CaseMessageRole? MessageRole => Action == MessageAdded && Data["role"]?.GetValue<string>() is { } role
        ? role switch { "customer" => CaseMessageRole.Customer, "person" => CaseMessageRole.Person, "agent" => CaseMessageRole.Agent, _ => null }
        : null;

    /// <summary>The case the event is about, on the workspace's stream (<see cref="HandoffClient.StreamAllEventsAsync"/>); null on a case's own.</summary>
    public string? CaseId { get; init; }

    /// <summary>What was said, for a <see cref="MessageAdded"/> event; otherwise null.</summary>
    public string? MessageText => Action == MessageAdded ? Data["text"]?.GetValue<string>() : null;
}
