namespace Handoff.Core.Policy;

/// <summary>
/// The <c>defaults</c> section of a policy.
/// </summary>
/// <param name="ConfidenceFloor">A proposal whose confidence is below the floor needs a person. The default value is 0.75.</param>
/// <param name="LowConfidence">The outcome for such a proposal: review or escalate. The default value is review.</param>
/// <param name="Team">The queue for cases no fired rule assigns a team to. The default value is "default".</param>
public sealed record PolicyDefaults(double ConfidenceFloor, Outcome LowConfidence, string Team)
{
    internal static PolicyDefaults Standard { get; } = new(0.75, Outcome.Review, "default");

    // Init properties rather than positional parameters, so the three-argument constructor other code calls stays.

    /// <summary>
    /// How a person takes over a case when no fired rule sets a mode. Stored and validated only; live handoff uses it
    /// in a later version.
    /// </summary>
    /// <value>The default value is <see cref="HandoffMode.Either"/>.</value>
    public HandoffMode Mode { get; init; } = HandoffMode.Either;

    /// <summary>
    /// How long a case may wait for a person when no fired rule sets an SLA. Stored and validated only; SLA timers use
    /// it in a later version.
    /// </summary>
    /// <value>The default value is null: no SLA.</value>
    public TimeSpan? Sla { get; init; }
}
