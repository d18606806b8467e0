using Handoff.Core.Cases;

namespace Handoff.Core.Policy;

/// <summary>
/// The <c>defaults</c> section of a policy.
/// </summary>
/// <param name="ConfidenceFloor">A proposal whose confidence is below the floor needs a person. The default value is 0.75.</param>
/// <param name="LowConfidence">The outcome for such a proposal: review or escalate. The default value is review.</param>
/// <param name="Team">The queue for cases no fired rule assigns a team to. The default value is "default".</param>
public sealed record PolicyDefaults(double ConfidenceFloor, Outcome LowConfidence, string Team)
{
    // Declared before Standard: static fields initialise in order, and Standard's SlaByPriority reads this one.
    private static readonly IReadOnlyDictionary<Priority, TimeSpan> NoSlas = new Dictionary<Priority, TimeSpan>();

    internal static PolicyDefaults Standard { get; } = new(0.75, Outcome.Review, "default");

    // Init properties rather than positional parameters, so the three-argument constructor other code calls stays.

    /// <summary>How a person takes over a case when no fired rule sets a mode.</summary>
    /// <value>The default value is <see cref="HandoffMode.Either"/>.</value>
    public HandoffMode Mode { get; init; } = HandoffMode.Either;

    /// <summary>
    /// How long a case may wait for a person when no fired rule sets an SLA and <see cref="SlaByPriority"/> has none
    /// for its priority.
    /// </summary>
    /// <value>The default value is null: no SLA.</value>
    public TimeSpan? Sla { get; init; }

    /// <summary>The SLA of a case by its priority, when no fired rule sets one; a priority not listed uses <see cref="Sla"/>.</summary>
    public IReadOnlyDictionary<Priority, TimeSpan> SlaByPriority { get; init; } = NoSlas;

    /// <summary>The share of the SLA after which a waiting case is at risk and its team is warned.</summary>
    /// <value>The default value is 0.8.</value>
    public double SlaWarnAt { get; init; } = 0.8;

    /// <summary>What happens to a case that waits past its SLA, rung by rung; empty does nothing but report the breach.</summary>
    public IReadOnlyList<BreachStep> OnBreach { get; init; } = [];

    /// <summary>The 1-based line of <see cref="Team"/> in the source; null when the policy leaves it to the default.
    /// Not part of equality: where it is written is not what it says.</summary>
    public int? TeamLine { get; init; }

    /// <summary>How long a live case rings, one person at a time, before it falls back to the queue.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan LiveWait { get; init; } = TimeSpan.FromSeconds(60);

    // A record compares collections by reference; defaults with the same content are the same defaults.
    public bool Equals(PolicyDefaults? other) =>
        other is not null
        && ConfidenceFloor.Equals(other.ConfidenceFloor)
        && LowConfidence == other.LowConfidence
        && Team == other.Team
        && Mode == other.Mode
        && Sla == other.Sla
        && SlaByPriority.Count == other.SlaByPriority.Count
        && SlaByPriority.All(pair => other.SlaByPriority.TryGetValue(pair.Key, out var sla) && sla == pair.Value)
        && SlaWarnAt.Equals(other.SlaWarnAt)
        && OnBreach.SequenceEqual(other.OnBreach)
        && LiveWait == other.LiveWait;

    public override int GetHashCode() => HashCode.Combine(ConfidenceFloor, LowConfidence, Team, Mode, Sla, SlaByPriority.Count, SlaWarnAt, LiveWait);
}
