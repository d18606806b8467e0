namespace Handoff.Core.Routing;

/// <summary>
/// Who is offered a case in a <see cref="AssignmentMode.Push"/> team: the best eligible member. Eligible means online,
/// not already offered this case, every required skill, the case's language if it has one, and room for its weight.
/// Best means least loaded for their capacity (load ÷ capacity, before this case), then least loaded in absolute terms,
/// then idle longest (never assigned first), then the lowest person id, so that the same snapshot always gives the
/// same answer on every node. Pure and allocation-free: one pass, no sorting.
/// </summary>
public static class PushRouting
{
    /// <summary>
    /// The member to offer the case to, or null when nobody is eligible (the case waits in the queue until someone
    /// becomes eligible). <paramref name="excluded"/> holds the ids of members who declined it or let the offer lapse.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The case's weight is below 1.</exception>
    public static RoutingCandidate? Choose(
        CaseNeeds requirements, ReadOnlySpan<RoutingCandidate> candidates, IReadOnlySet<string>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        ArgumentOutOfRangeException.ThrowIfLessThan(requirements.Weight, 1);
        RoutingCandidate? best = null;
        foreach (var candidate in candidates)
        {
            if ((best is null || Compare(candidate, best) < 0) && Check(requirements, candidate, excluded) == Eligibility.Eligible)
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>Whether <paramref name="candidate"/> may be offered the case, or the first reason not.</summary>
    public static Eligibility Check(CaseNeeds requirements, RoutingCandidate candidate, IReadOnlySet<string>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Presence != Presence.Online)
        {
            return Eligibility.NotOnline;
        }

        if (excluded is not null && excluded.Contains(candidate.PersonId))
        {
            return Eligibility.AlreadyOffered;
        }

        return Fit(requirements, candidate);
    }

    /// <summary>Every member's eligibility, in the order given: what a dashboard shows to explain an offer (or its absence).</summary>
    public static IReadOnlyList<CandidateCheck> Explain(
        CaseNeeds requirements, ReadOnlySpan<RoutingCandidate> candidates, IReadOnlySet<string>? excluded = null)
    {
        var checks = new CandidateCheck[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            checks[i] = new CandidateCheck(candidates[i].PersonId, Check(requirements, candidates[i], excluded));
        }

        return checks;
    }

    /// <summary>
    /// The order among eligible members: negative when <paramref name="a"/> is the better one to offer a case to. Ratios
    /// are compared by cross-multiplying, exactly, so 1/3 and 2/6 tie and go on to the absolute load.
    /// </summary>
    public static int Compare(RoutingCandidate a, RoutingCandidate b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // Eligible members have a capacity of at least 1; for anyone else a capacity of 0 reads as full, last.
        bool aFull = a.Capacity <= 0, bFull = b.Capacity <= 0;
        var ratio = aFull || bFull
            ? aFull.CompareTo(bFull)
            : ((long)a.Load * b.Capacity).CompareTo((long)b.Load * a.Capacity);

        if (ratio != 0)
        {
            return ratio;
        }

        if (a.Load != b.Load)
        {
            return a.Load.CompareTo(b.Load);
        }

        if (a.LastAssignedAt != b.LastAssignedAt)
        {
            return a.LastAssignedAt is not { } aLast ? -1 : b.LastAssignedAt is not { } bLast ? 1 : aLast.CompareTo(bLast);
        }

        return string.CompareOrdinal(a.PersonId, b.PersonId);
    }

    /// <summary>What push and pull share: skills, language, room for the weight (cheapest first).</summary>
    internal static Eligibility Fit(CaseNeeds requirements, RoutingCandidate person)
    {
        if (person.Load + (long)requirements.Weight > person.Capacity)
        {
            return Eligibility.NoCapacity;
        }

        if (!person.Skills.ContainsAll(requirements.Skills))
        {
            return Eligibility.MissingSkill;
        }

        if (requirements.Language is { } language && !person.Languages.Contains(language))
        {
            return Eligibility.MissingLanguage;
        }

        return Eligibility.Eligible;
    }
}
