using Handoff.Core.Notifications;

namespace Handoff.Server.Dashboard.Settings;

/// <summary>The event types an endpoint may subscribe to, grouped and explained for the person choosing them.</summary>
internal static class EventTypeGroups
{
    private static readonly EventTypeGroup[] Known =
    [
        new("case", "Case events",
        [
            new(EventTypes.CaseCreated, "A case was submitted: every case, also those the policy approved or blocked on its own."),
            new(EventTypes.CaseEscalated, "A person must look: sent for review, or raised by a timeout or an SLA step."),
            new(EventTypes.CaseOffered, "A case rings for a person (push teams and live cases)."),
            new(EventTypes.CaseAssigned, "A person holds the case: claimed, accepted, next case, reassigned or transferred to them."),
            new(EventTypes.CaseTransferred, "Handed to a colleague or another team, or to the overflow team by an SLA step."),
            new(EventTypes.CaseDecided, "The decision is final: by a person, by a timeout, or a handback."),
            new(EventTypes.CaseExpired, "Nobody decided in time, and the case's timeout action applied."),
            new(EventTypes.CaseTakenOver, "A person took the conversation over from the agent."),
            new(EventTypes.CaseHandedBack, "A person handed the conversation back to the agent, with a note."),
            new(EventTypes.CaseExecuted, "The agent reported what it did with an approved case: carried it out, or could not (with why)."),
            new(EventTypes.ExecutionMismatch, "The agent reported running something other than what was approved."),
        ]),
        new("live", "SLA and live events",
        [
            new(EventTypes.SlaWarning, "A case's SLA reached its warning time."),
            new(EventTypes.SlaBreached, "A case passed its SLA due time without a decision."),
            new(EventTypes.LiveFallback, "A live case nobody accepted fell back to the queue, with the expected wait."),
            new(EventTypes.TakeoverMessage, "A message in a taken-over conversation: the customer's, the person's or the agent's."),
        ]),
        new("workspace", "Workspace events",
        [
            new(EventTypes.AutonomyChanged, "Autonomy was stopped or resumed."),
            new(EventTypes.PolicyPublished, "A new policy version was published."),
            new(EventTypes.EndpointDisabled, "Handoff disabled a webhook endpoint (410 Gone, or failing for days)."),
        ]),
    ];

    /// <summary>
    /// Every subscribable type in a group. A type added to <see cref="EventTypes.All"/> but not yet placed here shows
    /// under "Other events" rather than being impossible to choose.
    /// </summary>
    public static IReadOnlyList<EventTypeGroup> All { get; } = WithOthers();

    /// <summary>The types in the order the forms and the docs list them.</summary>
    public static IEnumerable<string> Ordered(IEnumerable<string> types)
    {
        var chosen = types.ToHashSet(StringComparer.Ordinal);
        return All.SelectMany(g => g.Types).Select(t => t.Type).Where(chosen.Contains);
    }

    private static EventTypeGroup[] WithOthers()
    {
        var placed = Known.SelectMany(g => g.Types).Select(t => t.Type).ToHashSet(StringComparer.Ordinal);
        var others = EventTypes.All.Where(t => !placed.Contains(t)).Select(t => new EventTypeChoice(t, "")).ToList();
        return others.Count == 0 ? Known : [.. Known, new("other", "Other events", others)];
    }
}
