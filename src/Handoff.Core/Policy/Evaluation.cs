using System.Text.Json.Serialization;
using Handoff.Core.Cases;

namespace Handoff.Core.Policy;

/// <summary>
/// The policy's verdict on a case: the most restrictive outcome of every rule that fired, each fired rule as a
/// reason, the team and priority for the queue, and the confidence floor that applied.
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
}
