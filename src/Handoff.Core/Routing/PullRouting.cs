namespace Handoff.Core.Routing;

/// <summary>
/// "Next case" in a <see cref="AssignmentMode.Pull"/> team: the most urgent queued case the person may take — every
/// required skill, the case's language, room for its weight. Most urgent means highest priority, then the earliest SLA
/// due time (cases without one last), then the oldest, then the lowest case id. Presence is not asked: a person who
/// asks for work is working. Pure and allocation-free: one pass, no sorting.
/// </summary>
public static class PullRouting
{
    /// <summary>The case <paramref name="person"/> should take next, or null when none in <paramref name="queue"/> fits them.</summary>
    public static QueuedCase? Next(RoutingCandidate person, ReadOnlySpan<QueuedCase> queue)
    {
        ArgumentNullException.ThrowIfNull(person);
        QueuedCase? best = null;
        foreach (var queued in queue)
        {
            if ((best is null || Compare(queued, best) < 0) && Check(person, queued) == Eligibility.Eligible)
            {
                best = queued;
            }
        }

        return best;
    }

    /// <summary>Whether <paramref name="person"/> may take <paramref name="queued"/>, or the first reason not.</summary>
    public static Eligibility Check(RoutingCandidate person, QueuedCase queued)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(queued);
        return PushRouting.Fit(queued.Requirements, person);
    }

    /// <summary>The queue's order of urgency: negative when <paramref name="a"/> should be taken before <paramref name="b"/>.</summary>
    public static int Compare(QueuedCase a, QueuedCase b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Priority != b.Priority)
        {
            // As ints: Enum.CompareTo takes an object, and boxing both sides per comparison was most of a pass's cost.
            return ((int)b.Priority).CompareTo((int)a.Priority);
        }

        if (a.SlaDueAt != b.SlaDueAt)
        {
            return a.SlaDueAt is not { } aDue ? 1 : b.SlaDueAt is not { } bDue ? -1 : aDue.CompareTo(bDue);
        }

        var age = a.CreatedAt.CompareTo(b.CreatedAt);
        return age != 0 ? age : string.CompareOrdinal(a.CaseId, b.CaseId);
    }
}
