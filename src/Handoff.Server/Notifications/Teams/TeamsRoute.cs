using Handoff.Core.Notifications;
using Handoff.Core.Notifications.Teams;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications.Teams;

/// <summary>
/// The workspace-level default rule for Microsoft Teams: every event about a case whose type the workspace's Teams
/// settings list becomes one card to its webhook, rendered from the case as it is when dispatched.
/// </summary>
internal sealed class TeamsRoute(IHandoffStore store, IOptions<HandoffServerOptions> options) : IEventRoute
{
    // Read once per workspace per dispatch batch; the dispatcher calls one route at a time, so no lock.
    private readonly Dictionary<string, TeamsSettings?> _settings = new(StringComparer.Ordinal);

    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        _settings.Clear();
        return Task.CompletedTask;
    }

    public async Task RouteAsync(OutboxEvent e, List<NewDelivery> into, CancellationToken cancellationToken)
    {
        if (!EventMap.IsAboutACase(e.Type)
            || await SettingsAsync(e.WorkspaceId, cancellationToken).ConfigureAwait(false) is not { } settings
            || !settings.Wants(e.Type)
            || await e.CaseAsync(cancellationToken).ConfigureAwait(false) is not { } c)
        {
            return;
        }

        var notice = CaseNotices.From(e.Type, c, options.Value.Notifications.CaseLink(c.Id), e.Entry.At);
        into.Add(new NewDelivery(e.Id, e.Type, e.WorkspaceId, c.Id, DeliveryChannels.Teams, TeamsSettings.WebhookTarget, TeamsCards.ForNotice(notice)));
    }

    private async Task<TeamsSettings?> SettingsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        if (!_settings.TryGetValue(workspaceId, out var settings))
        {
            settings = TeamsSettings.Parse(await store.GetIntegrationAsync(workspaceId, TeamsSettings.Kind, cancellationToken).ConfigureAwait(false));
            _settings[workspaceId] = settings;
        }

        return settings;
    }
}
