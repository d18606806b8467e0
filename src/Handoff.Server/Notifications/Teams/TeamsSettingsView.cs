namespace Handoff.Server.Notifications.Teams;

/// <summary>A workspace's Teams settings as the API shows them: the webhook URL down to its host.</summary>
public sealed record TeamsSettingsView(string WebhookUrl, IReadOnlyList<string> Events)
{
    internal static TeamsSettingsView From(TeamsSettings settings) => new(IntegrationChecks.MaskUrl(settings.WebhookUrl), settings.Events);
}
