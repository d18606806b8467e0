using Handoff.Storage;
using Handoff.Storage.Outbox;

namespace Handoff.Server.Notifications.Webhooks;

/// <summary>
/// Sends <c>webhook</c> deliveries: the target is an endpoint's id, read at each attempt, so a changed URL or a
/// rotated secret applies to what is still pending. Signed by every secret of the endpoint in force now.
/// </summary>
internal sealed class WebhookChannel(IHandoffStore store, WebhookSender sender, TimeProvider time) : IDeliveryChannel
{
    public string Channel => DeliveryChannels.Webhook;

    public async Task<DeliveryOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var endpoint = await store.GetWebhookEndpointAsync(message.WorkspaceId, message.Target, cancellationToken).ConfigureAwait(false);
        if (endpoint is null)
        {
            return DeliveryOutcome.Failed("the endpoint was removed", TimeSpan.Zero, permanent: true);
        }

        if (!endpoint.Enabled)
        {
            return DeliveryOutcome.Failed($"the endpoint is disabled ({endpoint.DisabledReason})", TimeSpan.Zero, permanent: true);
        }

        var now = time.GetUtcNow();
        return await sender.SendAsync(new Uri(endpoint.Url), message.EventId, now, message.Body, endpoint.ActiveSecrets(now), cancellationToken)
            .ConfigureAwait(false);
    }
}
