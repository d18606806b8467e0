namespace Handoff.Core.Policy;

/// <summary>
/// What the policy asks of the person who picks a case up, and how fast: combined from every rule that fired and the
/// defaults when the case was evaluated, and kept with the case so that later policy versions do not change a case
/// already waiting. Only cases a person must see have one.
/// </summary>
/// <param name="Skills">Every skill any fired rule asked for (lowercase, first-seen order); a person needs them all.</param>
/// <param name="Language">The customer's language (<c>subject.language</c>, lowercase), or null when the case states none.</param>
/// <param name="Mode">
/// Live (ring one available person now), queue (follow-up) or either (live when someone is available). A fired rule's
/// mode wins over the defaults; among rules, live over either over queue, because a customer already waiting on the
/// line cannot be put in a queue by another rule's preference.
/// </param>
/// <param name="Sla">How long the case may wait in working hours: the shortest of the fired rules' SLAs, else the default for its priority, else <c>defaults.sla</c>; null for none.</param>
/// <param name="SlaWarnAt">The share of <paramref name="Sla"/> after which the case is at risk (default 0.8).</param>
/// <param name="OnBreach">The breach ladder, ordered by <see cref="BreachStep.After"/>.</param>
/// <param name="LiveWait">How long a live case rings before it falls back to the queue: the shortest a fired rule sets, else the default.</param>
/// <param name="Approvals">How many distinct people must approve: the strictest any fired rule sets.</param>
public sealed record RoutingRequirements(
    IReadOnlyList<string> Skills,
    string? Language,
    HandoffMode Mode,
    TimeSpan? Sla,
    double SlaWarnAt,
    IReadOnlyList<BreachStep> OnBreach,
    TimeSpan LiveWait,
    ApprovalRule Approvals)
{
    // A record compares lists by reference; the same skills and ladder make the same requirements.
    public bool Equals(RoutingRequirements? other) =>
        other is not null
        && Skills.SequenceEqual(other.Skills, StringComparer.Ordinal)
        && Language == other.Language
        && Mode == other.Mode
        && Sla == other.Sla
        && SlaWarnAt.Equals(other.SlaWarnAt)
        && OnBreach.SequenceEqual(other.OnBreach)
        && LiveWait == other.LiveWait
        && Approvals == other.Approvals;

    public override int GetHashCode() => HashCode.Combine(Skills.Count, Language, Mode, Sla, SlaWarnAt, OnBreach.Count, LiveWait, Approvals);
}
