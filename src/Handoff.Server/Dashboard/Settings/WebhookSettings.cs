namespace Handoff.Server.Dashboard.Settings;

/// <summary>An endpoint's checked settings.</summary>
public sealed record WebhookSettings(string Url, string? Description, IReadOnlyList<string> EventTypes);
