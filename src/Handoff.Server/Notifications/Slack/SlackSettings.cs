using System.Text.Json;
using System.Text.Json.Serialization;
using Handoff.Core;
using Handoff.Core.Notifications;

namespace Handoff.Server.Notifications.Slack;

/// <summary>
/// A workspace's Slack settings as the store keeps them (integration kind <c>slack</c>), secrets included. Bot mode —
/// a bot token, the app's signing secret and a channel — posts messages with buttons, updates them once decided and
/// lets people decide from Slack; incoming-webhook mode only posts.
/// </summary>
internal sealed record SlackSettings
{
    public const string Kind = "slack";

    /// <summary>The delivery target of incoming-webhook mode; in bot mode the target is the channel.</summary>
    public const string WebhookTarget = "webhook";

    /// <summary>Slack's Web API. <value>The default value is https://slack.com/api/.</value></summary>
    public const string DefaultApiBaseUrl = "https://slack.com/api/";

    /// <summary>What a workspace is told of unless it says otherwise: a person is needed, an SLA broke, a decision, a live case queued.</summary>
    public static IReadOnlyList<string> DefaultEvents { get; } = [EventTypes.CaseEscalated, EventTypes.SlaBreached, EventTypes.CaseDecided, EventTypes.LiveFallback];

    public string? BotToken { get; init; }
    public string? SigningSecret { get; init; }
    public string? Channel { get; init; }
    public string? IncomingWebhookUrl { get; init; }
    public IReadOnlyList<string> Events { get; init; } = DefaultEvents;

    /// <summary>Where the Web API is, ending in a slash (a stand-in's address in tests).</summary>
    public string ApiBaseUrl { get; init; } = DefaultApiBaseUrl;

    [JsonIgnore]
    public bool IsBot => BotToken is not null && SigningSecret is not null && Channel is not null;

    /// <summary>Where this workspace's messages go: the channel in bot mode, <see cref="WebhookTarget"/> otherwise.</summary>
    [JsonIgnore]
    public string Target => IsBot ? Channel! : WebhookTarget;

    public bool Wants(string eventType) => Events.Contains(eventType, StringComparer.Ordinal);

    public string ToJson() => JsonSerializer.Serialize(this, HandoffJson.Options);

    /// <summary>The stored settings, or null when there are none.</summary>
    public static SlackSettings? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<SlackSettings>(json, HandoffJson.Options);

    /// <summary>What the audit log says of these settings: the mode, the channel or the webhook's host, the events — no secret.</summary>
    public string Summary()
    {
        var mode = IsBot ? $"bot mode, channel {Channel}" : $"incoming webhook {IntegrationChecks.MaskUrl(IncomingWebhookUrl ?? "")}";
        var api = ApiBaseUrl == DefaultApiBaseUrl ? "" : $", api {ApiBaseUrl}";
        return $"{mode}, events: {string.Join(", ", Events)}{api}";
    }
}
