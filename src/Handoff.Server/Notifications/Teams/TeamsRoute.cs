using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Core.Notifications.Teams;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications.Teams;

/// <summary>The workspace-level default rule for Microsoft Teams: one card to its webhook per listed event about a case.</summary>
internal sealed class TeamsRoute(IHandoffStore store, IOptions<HandoffServerOptions> options)
    : IntegrationRoute<TeamsSettings>(store, options, TeamsSettings.Kind)
{
    protected override TeamsSettings? Parse(string? json) => TeamsSettings.Parse(json);

    protected override bool Wants(TeamsSettings settings, string eventType) => settings.Wants(eventType);

    protected override NewDelivery Message(OutboxEvent e, HandoffCase c, CaseNotice notice, TeamsSettings settings) =>
        new(e.Id, e.Type, e.WorkspaceId, c.Id, DeliveryChannels.Teams, TeamsSettings.WebhookTarget, TeamsCards.ForNotice(notice));
}
