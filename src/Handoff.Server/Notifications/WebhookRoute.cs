using Handoff.Core.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;

namespace Handoff.Server.Notifications;

/// <summary>Every enabled endpoint of the event's workspace that subscribed to its type gets it.</summary>
internal sealed class WebhookRoute(IHandoffStore store, TimeProvider time) : IEventRoute
{
    private ILookup<string, WebhookEndpoint> _endpoints = Array.Empty<WebhookEndpoint>().ToLookup(static e => e.WorkspaceId);

    public async Task PrepareAsync(CancellationToken cancellationToken) =>
        _endpoints = (await store.ListWebhookEndpointsAsync(null, cancellationToken).ConfigureAwait(false))
            .Where(static e => e.Enabled).ToLookup(static e => e.WorkspaceId, StringComparer.Ordinal);

    public async Task RouteAsync(OutboxEvent e, List<NewDelivery> into, CancellationToken cancellationToken)
    {
        string? body = null;
        foreach (var endpoint in _endpoints[e.WorkspaceId])
        {
            if (!endpoint.Wants(e.Type))
            {
                continue;
            }

            body ??= EventPayload.Build(e, EventMap.IsAboutACase(e.Type) ? await e.CaseAsync(cancellationToken).ConfigureAwait(false) : null, time.GetUtcNow());
            into.Add(new NewDelivery(e.Id, e.Type, e.WorkspaceId, CaseIdOf(e), DeliveryChannels.Webhook, endpoint.Id, body));
        }
    }

    internal static string? CaseIdOf(OutboxEvent e) => EventMap.IsAboutACase(e.Type) ? e.Entry.Subject : null;
}
