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
}
