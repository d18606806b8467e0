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
            .Where(s => s.ExpiresAt is not { } until || until > now).Select(static s => s.Secret).ToList();
        return await sender.SendAsync(url, message.EventId, now, message.Body, inForce, cancellationToken).ConfigureAwait(false);
    }
}
