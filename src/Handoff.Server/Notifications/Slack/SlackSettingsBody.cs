namespace Handoff.Server.Notifications.Slack;

/// <summary>
/// The body of <c>PUT /v1/integrations/slack</c>: bot mode (<see cref="BotToken"/>, <see cref="SigningSecret"/> and
/// <see cref="Channel"/>) or incoming-webhook mode (<see cref="IncomingWebhookUrl"/>), not both. Replaces the
/// workspace's Slack settings.
/// </summary>
/// <param name="BotToken">The app's bot token, <c>xoxb-…</c> (scopes <c>chat:write</c>, <c>users:read</c>, <c>users:read.email</c>).</param>
/// <param name="SigningSecret">The app's signing secret (Basic Information → App Credentials), to check that interactions come from Slack.</param>
/// <param name="Channel">The channel to post to: its id (<c>C0123ABCD</c>), which stays right when the channel is renamed.</param>
/// <param name="IncomingWebhookUrl">An incoming webhook's URL (<c>https://hooks.slack.com/services/…</c>): messages without buttons.</param>
/// <param name="Events">Which events to post; absent: case.escalated, sla.breached, case.decided, live.fallback.</param>
/// <param name="ApiBaseUrl">Slack's Web API; absent: https://slack.com/api/.</param>
public sealed record SlackSettingsBody(
    string? BotToken,
    string? SigningSecret,
    string? Channel,
    string? IncomingWebhookUrl,
    IReadOnlyList<string?>? Events,
    string? ApiBaseUrl);
