namespace Handoff.Server.Dashboard.Settings;

/// <summary>One event type as the webhook forms offer it: its name on the wire and what it tells.</summary>
internal sealed record EventTypeChoice(string Type, string Explanation);
