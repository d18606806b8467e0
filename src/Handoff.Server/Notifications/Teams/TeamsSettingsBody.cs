using System.ComponentModel.DataAnnotations;
namespace Handoff.Server.Notifications.Teams;

/// <summary>The body of <c>PUT /v1/integrations/teams</c>; replaces the workspace's Teams settings.</summary>
/// <param name="WebhookUrl">The Teams Workflows webhook URL (or a legacy incoming webhook's) the cards are posted to.</param>
/// <param name="Events">Which events to post; absent: case.escalated, sla.breached, case.decided, live.fallback.</param>
public sealed record TeamsSettingsBody([property: Required] string? WebhookUrl, IReadOnlyList<string?>? Events);
