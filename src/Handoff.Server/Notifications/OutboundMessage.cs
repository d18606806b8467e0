namespace Handoff.Server.Notifications;

/// <summary>
/// One message to one destination, as the outbox holds it: built when its event was fanned out (so every attempt
/// sends the same body), sent by a delivery worker, retried until delivered or given up.
/// </summary>
/// <param name="Id">The delivery's id in the outbox.</param>
/// <param name="EventId">The event's stable id (<c>evt_…</c>): the same for every attempt and every destination; webhooks send it as <c>webhook-id</c>.</param>
/// <param name="EventType">One of <c>Handoff.Core.Notifications.EventTypes</c>.</param>
/// <param name="Channel">Which <see cref="IDeliveryChannel"/> sends it: <c>webhook</c>, <c>callback</c>, <c>slack</c>, <c>teams</c>, <c>email</c>.</param>
/// <param name="Target">Where, in the channel's terms: a webhook endpoint's id, a callback URL, a Slack channel, an e-mail address.</param>
/// <param name="Body">What, in the channel's terms (JSON for webhooks, Slack and Teams; the rendered mail for e-mail).</param>
/// <param name="Attempt">1 for the first attempt.</param>
public sealed record OutboundMessage(
    string Id,
    string EventId,
    string EventType,
    string WorkspaceId,
    string? CaseId,
    string Channel,
    string Target,
    string Body,
    int Attempt,
    DateTimeOffset CreatedAt);
