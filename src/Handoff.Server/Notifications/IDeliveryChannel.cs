namespace Handoff.Server.Notifications;

/// <summary>
/// Sends outbox messages of one <see cref="Channel"/>. Called by the delivery worker only, never from a request
/// thread; it must not throw for a destination's failure (return <see cref="DeliveryOutcome.Failed"/>), and must
/// honour the cancellation token (the worker's shutdown).
/// </summary>
public interface IDeliveryChannel
{
    /// <summary>The <see cref="OutboundMessage.Channel"/> this sends: <c>webhook</c>, <c>callback</c>, <c>slack</c>, <c>teams</c> or <c>email</c>.</summary>
    string Channel { get; }

    Task<DeliveryOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
