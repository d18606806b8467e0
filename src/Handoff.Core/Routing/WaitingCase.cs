using Handoff.Core.Cases;

namespace Handoff.Core.Routing;

/// <summary>
/// A stored case as routing weighs it: what it needs of the person who takes it (<see cref="CaseNeeds"/>) and where it
/// stands in the queue (<see cref="QueuedCase"/>). One reading for "next case" and any other caller, so that the
/// order a person is given cases in and the weight each counts for are decided in one place.
/// </summary>
public static class WaitingCase
{
    /// <summary>The skills and language the case's policy asked for, and its weight (live or queued).</summary>
    public static CaseNeeds Needs(HandoffCase waiting, LoadWeights weights)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        ArgumentNullException.ThrowIfNull(weights);
        var routing = waiting.Evaluation.Routing;
        return new CaseNeeds(
            routing is { Skills.Count: > 0 } ? new TagSet(routing.Skills) : TagSet.Empty, routing?.Language, weights.Of(waiting.IsLive()));
    }

    /// <summary>
    /// The case in its queue: its priority, its SLA's due time read off its team's <paramref name="clock"/> from when it
    /// was created (null when its policy sets no SLA, or the team never works long enough for it), and its age.
    /// </summary>
    public static QueuedCase Queued(HandoffCase waiting, WorkingClock clock, LoadWeights weights)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        ArgumentNullException.ThrowIfNull(clock);
        var due = waiting.Evaluation.Routing?.Sla is { } sla ? clock.DueAt(waiting.CreatedAt, sla) : null;
        return new QueuedCase(waiting.Id, waiting.Evaluation.Priority, due, waiting.CreatedAt, Needs(waiting, weights));
    }
}
