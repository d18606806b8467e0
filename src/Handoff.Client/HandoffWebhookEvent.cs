using System.Text.Json;

namespace Handoff.Client;

/// <summary>A webhook delivery that verified: which event it is, and what it says.</summary>
/// <param name="Id">
/// The event's id (<c>webhook-id</c>): the same on every attempt, so a delivery seen twice (delivery is at least
/// once) has the same id both times. Keep the ids processed and skip repeats.
/// </param>
/// <param name="Type">What happened: <c>case.decided</c>, <c>case.escalated</c>, <c>sla.breached</c>, …</param>
/// <param name="Timestamp">When it happened (the body's <c>timestamp</c>); not when it was sent, which a retry moves on.</param>
/// <param name="Data">The event's <c>data</c>: the workspace, the case as the API shows it, and the audit entry. Undefined when the body has none.</param>
public sealed record HandoffWebhookEvent(string Id, string Type, DateTimeOffset Timestamp, JsonElement Data);
