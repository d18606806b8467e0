namespace Handoff.Storage.Outbox;

/// <summary>
/// One message of the outbox: an event for one destination, with its body fixed when the event was fanned out, and
/// where its delivery stands.
/// </summary>
public sealed record Delivery
{
    public required string Id { get; init; }
    /// <summary>The event's stable id (<c>evt_…</c>), the same for every destination and attempt.</summary>
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public required string WorkspaceId { get; init; }
    public string? CaseId { get; init; }
    /// <summary><c>webhook</c>, <c>callback</c>, <c>slack</c>, <c>teams</c> or <c>email</c>.</summary>
    public required string Channel { get; init; }
    /// <summary>Where, in the channel's terms: a webhook endpoint's id, a callback URL, an address.</summary>
    public required string Target { get; init; }
    public required string Body { get; init; }
    public required DeliveryStatus Status { get; init; }
    /// <summary>How many attempts were started (a leased delivery counts the one under way).</summary>
    public required int Attempts { get; init; }
    /// <summary>When the next attempt is due (for a leased one: when its lease runs out); null unless pending.</summary>
    public DateTimeOffset? NextAt { get; init; }
    /// <summary>The node attempting it now, or that attempted it last.</summary>
    public string? LeasedBy { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    /// <summary>What the destination called the message (Slack's <c>channel:ts</c>, an e-mail's Message-ID).</summary>
    public string? Reference { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A message for the outbox, made by fanning out an event; <paramref name="DueAt"/> holds it back until then (quiet hours), null sends it now.</summary>
public sealed record NewDelivery(
    string EventId, string EventType, string WorkspaceId, string? CaseId, string Channel, string Target, string Body, DateTimeOffset? DueAt = null);

/// <summary>One attempt at a delivery, for the delivery log.</summary>
public sealed record DeliveryAttempt(
    string DeliveryId,
    int Number,
    DateTimeOffset At,
    bool Delivered,
    int? StatusCode,
    int LatencyMs,
    string? Error = null,
    string? ResponseExcerpt = null);

/// <summary>How an attempt ended and what becomes of the delivery.</summary>
/// <param name="Attempt">The attempt, as the delivery log keeps it.</param>
/// <param name="NextAt">When to try again; null to stop (delivered, or given up: a dead letter).</param>
/// <param name="Reference">What the destination called the message, when delivered.</param>
/// <param name="DisableEndpoint">Why to disable the webhook endpoint now (410 Gone, failing for days); null to leave it.</param>
public sealed record DeliveryResult(DeliveryAttempt Attempt, DateTimeOffset? NextAt, string? Reference = null, string? DisableEndpoint = null);

/// <summary>Which deliveries to list, newest first; <see cref="Before"/> is the last id of the previous page.</summary>
public sealed record DeliveryQuery(string? Channel = null, string? Target = null, DeliveryStatus? Status = null, string? Before = null, int Limit = 50);
