using System.Text.Json.Serialization;

namespace Handoff.Core.Cases;

/// <summary>
/// A waiting case's SLA, fixed when it was submitted: when it turns to a warning, when it is due, and the breach
/// ladder's rungs with the instants they fire at (all counted in its team's working hours then). The clock runs while
/// the case waits for a decision — pending, assigned or escalated — and stops when it is closed; moving the case to
/// an overflow team keeps these instants. Null on a case with no SLA, and on cases stored before SLAs were acted on.
/// </summary>
public sealed record CaseSla
{
    /// <summary>When the case is at risk (the policy's <c>slaWarnAt</c> share of its working time used).</summary>
    public required DateTimeOffset WarnAt { get; init; }

    /// <summary>When the case has waited its whole SLA: from then on it is breached.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>When the warning was logged (<c>case.slaWarning</c>), or null until then.</summary>
    public DateTimeOffset? WarnedAt { get; init; }

    /// <summary>When the breach was logged (<c>case.slaBreached</c>), or null until then.</summary>
    public DateTimeOffset? BreachedAt { get; init; }

    /// <summary>The breach ladder's rungs in the order they fire; each fires once.</summary>
    public IReadOnlyList<SlaRung> Ladder { get; init; } = [];

    /// <summary>The next instant something happens to the case's SLA, or null when everything has happened.</summary>
    [JsonIgnore]
    public DateTimeOffset? NextAt =>
        WarnedAt is null ? WarnAt
        : BreachedAt is null ? DueAt
        : Ladder.FirstOrDefault(static r => r.DoneAt is null)?.At;

    // A record compares lists by reference; the same ladder makes the same SLA.
    public bool Equals(CaseSla? other) =>
        other is not null && WarnAt == other.WarnAt && DueAt == other.DueAt && WarnedAt == other.WarnedAt
        && BreachedAt == other.BreachedAt && Ladder.SequenceEqual(other.Ladder);

    public override int GetHashCode() => HashCode.Combine(WarnAt, DueAt, WarnedAt, BreachedAt, Ladder.Count);
}
