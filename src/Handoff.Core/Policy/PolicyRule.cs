using Handoff.Core.Cases;

namespace Handoff.Core.Policy;

/// <summary>
/// What a compiled rule declares, without its condition. <see cref="Pinned"/> rules are off limits to learning:
/// nothing may relax them automatically. <see cref="Outcome"/> is null for a rule that only sets a
/// <see cref="ConfidenceFloor"/>. <see cref="Skills"/>, <see cref="Sla"/>, <see cref="Mode"/>, <see cref="LiveWait"/> and
/// <see cref="Approvals"/> say how a person picks the case up; evaluation combines them into
/// <see cref="Evaluation.Routing"/>.
/// </summary>
public sealed record PolicyRule(
    string Id,
    Outcome? Outcome,
    string Reason,
    string? Team,
    Priority? Priority,
    bool Pinned,
    double? ConfidenceFloor,
    int Line)
{
    // Init properties rather than new positional parameters, so existing constructor calls keep compiling.

    /// <summary>The skills a reviewer needs for the case, as written in the policy; empty when the rule names none.</summary>
    public IReadOnlyList<string> Skills { get; init; } = [];

    /// <summary>How long the case may wait for a person, or null when the rule sets no SLA.</summary>
    public TimeSpan? Sla { get; init; }

    /// <summary>How a person takes the case over, or null when the rule leaves it to the defaults.</summary>
    public HandoffMode? Mode { get; init; }

    /// <summary>How long a live case rings before it falls back to the queue, or null to leave it to the defaults.</summary>
    public TimeSpan? LiveWait { get; init; }

    /// <summary>How many distinct people must approve, or null for one (see <see cref="ApprovalRule"/>).</summary>
    public ApprovalRule? Approvals { get; init; }

    /// <summary>The 1-based line of <see cref="Team"/> in the source, for pointing at it; null when the rule names no team.
    /// Where it is written is not what the rule declares, so it takes no part in equality.</summary>
    public int? TeamLine { get; init; }

    // A record compares a list by reference; two descriptors declaring the same skills are the same descriptor.
    public bool Equals(PolicyRule? other) =>
        other is not null
        && Id == other.Id
        && Outcome == other.Outcome
        && Reason == other.Reason
        && Team == other.Team
        && Priority == other.Priority
        && Pinned == other.Pinned
        && Nullable.Equals(ConfidenceFloor, other.ConfidenceFloor)
        && Line == other.Line
        && Skills.SequenceEqual(other.Skills, StringComparer.Ordinal)
        && Sla == other.Sla
        && Mode == other.Mode
        && LiveWait == other.LiveWait
        && Approvals == other.Approvals;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Id);
        hash.Add(Outcome);
        hash.Add(Reason);
        hash.Add(Team);
        hash.Add(Priority);
        hash.Add(Pinned);
        hash.Add(ConfidenceFloor);
        hash.Add(Line);
        foreach (var skill in Skills)
        {
            hash.Add(skill, StringComparer.Ordinal);
        }

        hash.Add(Sla);
        hash.Add(Mode);
        hash.Add(LiveWait);
        hash.Add(Approvals);
        return hash.ToHashCode();
    }
}
