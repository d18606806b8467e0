using Handoff.Core.Notifications;
using Handoff.Core.Notifications.Slack;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications.Slack;

/// <summary>
/// The workspace-level default rule for Slack: every event about a case whose type the workspace's Slack settings
/// list becomes one message to the configured channel (or incoming webhook), rendered from the case as it is when
/// dispatched — with decision buttons in bot mode while people may still decide it.
/// </summary>
internal sealed class SlackRoute(IHandoffStore store, IOptions<HandoffServerOptions> options) : IEventRoute
{
    // Read once per workspace per dispatch batch; the dispatcher calls one route at a time, so no lock.
    private readonly Dictionary<string, SlackSettings?> _settings = new(StringComparer.Ordinal);

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
        var body = e.Type == EventTypes.CaseDecided ? SlackMessages.ForDecided(notice) : SlackMessages.ForNotice(notice, interactive: settings.IsBot);
        into.Add(new NewDelivery(e.Id, e.Type, e.WorkspaceId, c.Id, DeliveryChannels.Slack, settings.Target, body));
    }

    private async Task<SlackSettings?> SettingsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        if (!_settings.TryGetValue(workspaceId, out var settings))
        {
            settings = SlackSettings.Parse(await store.GetIntegrationAsync(workspaceId, SlackSettings.Kind, cancellationToken).ConfigureAwait(false));
            _settings[workspaceId] = settings;
        }

        return settings;
    }
}
