using Handoff.Core.Cases;

namespace Handoff.Core.Statistics;

/// <summary>
/// What the dashboard's overview shows for a period: counts per UTC day (every day present, oldest first) and over
/// the whole period, and what people did with the cases that reached them. See <see cref="CaseStatistics.Compute(IEnumerable{DayTotals}, IEnumerable{CaseRecord}, DateTimeOffset, int)"/>.
/// </summary>
/// <param name="Days">One entry per day of the period, oldest first, including days with no cases.</param>
/// <param name="Totals">The sum of <paramref name="Days"/>.</param>
/// <param name="AutomationRate">Automated ÷ submitted over the period, from 0 to 1; 0 when nothing was submitted.</param>
/// <param name="EscalationsByRule">
/// For each rule id, how many of the period's escalated cases (outcome review or escalate) it fired on; a case with
/// several rules counts once for each.
/// </param>
/// <param name="DecisionsByVerdict">How many of the period's cases a person decided, by verdict (policy and timeout decisions are left out).</param>
/// <param name="TimeToDecisionP50">The median time from creation to a person's decision (nearest rank); null when no person decided.</param>
/// <param name="TimeToDecisionP90">The 90th percentile of the same (nearest rank); null when no person decided.</param>
public sealed record Overview(
    IReadOnlyList<DayCounts> Days,
    CaseCounts Totals,
    double AutomationRate,
    IReadOnlyDictionary<string, int> EscalationsByRule,
    IReadOnlyDictionary<Verdict, int> DecisionsByVerdict,
    TimeSpan? TimeToDecisionP50,
    TimeSpan? TimeToDecisionP90)
{
    /// <summary>How the period's cases with an SLA fared (decided before their due time; open at risk or breached).</summary>
    public SlaAttainment Sla { get; init; } = SlaAttainment.None;
}
