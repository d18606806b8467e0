using System.Text.Json.Nodes;

namespace Handoff.Client;

/// <summary>One entry of a case's history, as <c>GET /v1/cases/{id}/events</c> sends it.</summary>
/// <param name="Sequence">The entry's audit sequence number, also its event id: increasing within a case.</param>
/// <param name="Action"><c>case.created</c>, <c>case.claimed</c>, <c>case.released</c>, <c>case.decided</c> or <c>case.expired</c>.</param>
/// <param name="At">When it happened.</param>
/// <param name="Actor">Who did it (the system actor for a timeout).</param>
/// <param name="Data">What the entry records, such as <c>status</c>, <c>verdict</c> or <c>proposalDigest</c>; see docs/api.md.</param>
public sealed record CaseEvent(long Sequence, string Action, DateTimeOffset At, Actor Actor, JsonObject Data);
