namespace Handoff.Server.Notifications.Slack;

/// <summary>
/// A workspace's Slack settings as the API shows them: secrets masked (<c>xoxb-…abcd</c>), the webhook URL down to
/// its host, and the address to give Slack as the app's interactivity Request URL (bot mode).
/// </summary>
/// <param name="Mode"><c>bot</c> or <c>webhook</c>.</param>
/// <param name="InteractivityUrl">Relative when the server's public address is not configured (<c>Notifications:PublicUrl</c>).</param>
public sealed record SlackSettingsView(
    string Mode,
    string? BotToken,
    string? SigningSecret,
    string? Channel,
    string? IncomingWebhookUrl,
    IReadOnlyList<string> Events,
    string ApiBaseUrl,
    string? InteractivityUrl)
{
    internal static SlackSettingsView From(SlackSettings settings, string workspaceId, string? publicUrl) => new(
        settings.IsBot ? "bot" : "webhook",
        settings.BotToken is { } token ? IntegrationChecks.Mask(token) : null,
        settings.SigningSecret is { } secret ? IntegrationChecks.Mask(secret) : null,
        settings.Channel,
        settings.IncomingWebhookUrl is { } url ? IntegrationChecks.MaskUrl(url) : null,
        settings.Events,
        settings.ApiBaseUrl,
        settings.IsBot ? $"{publicUrl?.TrimEnd('/')}/v1/integrations/slack/{Uri.EscapeDataString(workspaceId)}/interactions" : null);
}
