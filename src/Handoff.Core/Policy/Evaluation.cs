using System.Text.Json.Serialization;
using Handoff.Core.Cases;

namespace Handoff.Core.Policy;

/// <summary>
/// The policy's verdict on a case: the most restrictive outcome of every rule that fired, each fired rule as a
/// reason, the team and priority for the queue, the confidence floor that applied, and — for a case a person must see
/// — what the policy asks of that person and how fast (<see cref="Routing"/>).
/// </summary>
public sealed record Evaluation(
    Outcome Outcome,
    IReadOnlyList<Reason> Reasons,
    string Team,
    Priority Priority,
    double ConfidenceFloor,
    int PolicyVersion)
{
    /// <summary>The reasons the case came to a person for (<see cref="Reason.AskedForAPerson"/>), in order.</summary>
    [JsonIgnore]
    public IEnumerable<Reason> ReasonsForAPerson => Reasons.Where(static r => r.AskedForAPerson);

    /// <summary>
    /// Skills, language, mode, SLA, live wait and approvals for the person who takes the case; null when no person
    /// must see it (auto, block) and for cases stored before routing existed.
    /// </summary>
    public RoutingRequirements? Routing { get; init; }

    /// <summary>What the learned gate made of the case; null when the policy's <c>learning</c> is off or the case was not the gate's to judge.</summary>
    public Learning.GateJudgement? Learned { get; init; }
}
