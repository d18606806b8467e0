using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Core.Notifications.Slack;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications.Slack;

/// <summary>
/// The workspace-level default rule for Slack: one message to the configured channel (or incoming webhook) per listed
/// event about a case — with decision buttons in bot mode while people may still decide it.
/// </summary>
internal sealed class SlackRoute(IHandoffStore store, IOptions<HandoffServerOptions> options)
    : IntegrationRoute<SlackSettings>(store, options, SlackSettings.Kind)
{
    protected override SlackSettings? Parse(string? json) => SlackSettings.Parse(json);

    protected override bool Wants(SlackSettings settings, string eventType) => settings.Wants(eventType);

    protected override NewDelivery Message(OutboxEvent e, HandoffCase c, CaseNotice notice, SlackSettings settings) =>
        new(e.Id, e.Type, e.WorkspaceId, c.Id, DeliveryChannels.Slack, settings.Target,
            e.Type == EventTypes.CaseDecided ? SlackMessages.ForDecided(notice) : SlackMessages.ForNotice(notice, interactive: settings.IsBot));
}
