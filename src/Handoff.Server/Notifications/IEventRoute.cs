using Handoff.Storage.Outbox;

namespace Handoff.Server.Notifications;

/// <summary>
/// Decides who hears of an event through one channel, and with what body: the webhook endpoints that subscribed, the
/// case's callback URL, the people a notification rule names. Called by the dispatcher for every event, so it must
/// answer fast for the events it ignores (most auto-approved cases interest nobody).
/// </summary>
internal interface IEventRoute
{
    /// <summary>Called once per dispatch batch, before its events: a route may read what it needs for the batch (the endpoints, the rules).</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Adds the deliveries <paramref name="e"/> makes through this route to <paramref name="into"/>.</summary>
    Task RouteAsync(OutboxEvent e, List<NewDelivery> into, CancellationToken cancellationToken);
}
