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
    /// The case in its queue: its priority, the SLA due time fixed when it was submitted (<see cref="HandoffCase.Sla"/>;
    /// null when it has none, which queues it after every case that has one), and its age.
    /// </summary>
    public static QueuedCase Queued(HandoffCase waiting, LoadWeights weights)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        return new QueuedCase(waiting.Id, waiting.Evaluation.Priority, waiting.Sla?.DueAt, waiting.CreatedAt, Needs(waiting, weights));
    }
}
