using Handoff.Storage.Outbox;

namespace Handoff.Server.Notifications.Webhooks;

/// <summary>
/// Sends <c>callback</c> deliveries: a case's decision to the <c>callbackUrl</c> it was submitted with, signed by the
/// workspace's callback secrets (<see cref="CallbackSecrets"/>) as webhooks are.
/// </summary>
internal sealed class CallbackChannel(CallbackSecrets secrets, WebhookSender sender, TimeProvider time) : IDeliveryChannel
{
    public string Channel => DeliveryChannels.Callback;

    public async Task<DeliveryOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Uri.TryCreate(message.Target, UriKind.Absolute, out var url))
        {
            return DeliveryOutcome.Failed($"the callback URL '{message.Target}' is not an absolute URL", TimeSpan.Zero, permanent: true);
        }

        var now = time.GetUtcNow();
        var inForce = (await secrets.GetOrCreateAsync(message.WorkspaceId, cancellationToken).ConfigureAwait(false))
            .Where(s => s.InForceAt(now)).Select(static s => s.Secret).ToList();
        return await sender.SendAsync(url, message.EventId, now, message.Body, inForce, cancellationToken).ConfigureAwait(false);
    }
}
