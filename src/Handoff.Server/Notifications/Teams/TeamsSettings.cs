using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Notifications;

namespace Handoff.Server.Notifications.Teams;

/// <summary>
/// A workspace's Microsoft Teams settings as the store keeps them (integration kind <c>teams</c>): the URL of a Teams
/// Workflows webhook ("When a Teams webhook request is received" → post the card to a channel) or of a legacy incoming
/// webhook — a secret, since anyone holding it may post — and the events to post.
/// </summary>
internal sealed record TeamsSettings
{
    public const string Kind = "teams";

    /// <summary>The only delivery target: the workspace's webhook.</summary>
    public const string WebhookTarget = "webhook";

    /// <summary>As for Slack: a person is needed, an SLA broke, a decision, a live case queued.</summary>
    public static IReadOnlyList<string> DefaultEvents { get; } = [EventTypes.CaseEscalated, EventTypes.SlaBreached, EventTypes.CaseDecided, EventTypes.LiveFallback];

    public required string WebhookUrl { get; init; }
    public IReadOnlyList<string> Events { get; init; } = DefaultEvents;

    public bool Wants(string eventType) => Events.Contains(eventType, StringComparer.Ordinal);

    public string ToJson() => JsonSerializer.Serialize(this, HandoffJson.Options);

    public static TeamsSettings? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<TeamsSettings>(json, HandoffJson.Options);

    /// <summary>What the audit log says: the webhook's host and the events, never the URL's secret part.</summary>
    public string Summary() => $"webhook {IntegrationChecks.MaskUrl(WebhookUrl)}, events: {string.Join(", ", Events)}";
}
