using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Statistics;

/// <summary>
/// The few facts about one case that <see cref="CaseStatistics"/> counts: when it came in, what the policy said
/// (<see cref="Outcome"/> and the <see cref="Rules"/> that fired), where it stands, and how it was decided.
/// </summary>
/// <param name="Rules">
/// The rules and built-ins that fired asking for more than <see cref="Outcome.Auto"/>; a rule that only adjusted the
/// floor, team or priority is left out. For cases whose reasons carry no outcome (stored before they did), every rule.
/// </param>
/// <param name="Verdict">The decision's verdict, null while the case is undecided.</param>
/// <param name="TimedOut">The case ran out of time: <c>onTimeout</c> decided it or raised it to escalated.</param>
/// <param name="DecidedByPerson">A person decided it (not the policy, not a timeout).</param>
/// <param name="DecidedAt">When it was decided, by whoever decided it; null while undecided.</param>
public sealed record CaseRecord(
    DateTimeOffset CreatedAt,
    Outcome Outcome,
    CaseStatus Status,
    IReadOnlyList<string> Rules,
    Verdict? Verdict,
    bool TimedOut,
    bool DecidedByPerson,
    DateTimeOffset? DecidedAt)
{
    /// <summary>The case's SLA due time; null when it has none.</summary>
    public DateTimeOffset? SlaDueAt { get; init; }

    /// <summary>When the case's SLA turns to a warning; null when it has none.</summary>
    public DateTimeOffset? SlaWarnAt { get; init; }
}
