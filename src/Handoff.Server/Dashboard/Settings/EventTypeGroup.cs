namespace Handoff.Server.Dashboard.Settings;

/// <summary>A group of event types in the webhook forms (case events, SLA and live events, workspace events).</summary>
internal sealed record EventTypeGroup(string Id, string Title, IReadOnlyList<EventTypeChoice> Types);
