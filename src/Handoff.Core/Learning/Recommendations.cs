using System.Globalization;
using Handoff.Core.Policy;

namespace Handoff.Core.Learning;

/// <summary>What a recommendation changes in the policy.</summary>
public enum RecommendationKind
{
    /// <summary>Let a rule's cases go through alone: its <c>outcome</c> becomes <c>auto</c>.</summary>
    RunAuto,

    /// <summary>Lower <c>defaults.confidenceFloor</c>: fewer cases held for low confidence.</summary>
    LowerFloor,
}

/// <summary>
/// A concrete policy change the agreement numbers support, in words and as an edit (<see cref="PolicyEdit"/>).
/// <see cref="Id"/> names it for applying: <c>auto:RULE</c> or <c>floor:0.6</c>.
/// </summary>
public sealed record Recommendation(
    string Id, RecommendationKind Kind, string? Rule, double? Floor, int Decisions, int ApprovedUnchanged, double LowerBound, string Text);

/// <summary>
/// Recommendations from the decision ledger: a rule whose cases people approve unchanged so reliably that the lower end
/// of Wilson's 95 % interval clears <c>agreement</c> may run alone; the same for the confidence floor, from the cases
/// held only for low confidence. Never for a <c>pinned</c> rule or one that blocks, and never from fewer than
/// <c>minDecisions</c> decisions. Pure: what to change; <see cref="PolicyEdit"/> changes it.
/// </summary>
public static class Recommendations
{
    public const double DefaultAgreement = 0.95;
    public const int DefaultMinDecisions = 50;

    /// <summary>The lowest floor a recommendation goes to.</summary>
    public const double LowestFloor = 0.5;

    public static IReadOnlyList<Recommendation> From(
        CompiledPolicy policy, IReadOnlyCollection<DecisionRecord> records, double agreement = DefaultAgreement, int minDecisions = DefaultMinDecisions)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(records);
        var found = new List<Recommendation>();
        foreach (var rule in policy.Rules)
        {
            if (rule.Pinned || rule.Outcome is not (Outcome.Review or Outcome.Escalate))
            {
                continue;
            }

            var mine = records.Where(r => r.Rules.Contains(rule.Id, StringComparer.Ordinal)).ToList();
            var unchanged = mine.Count(static r => r.ApprovedUnchanged);
            var lower = Proportion.Wilson(unchanged, mine.Count).Lower;
            if (mine.Count >= minDecisions && lower >= agreement)
            {
                found.Add(new Recommendation(
                    $"auto:{rule.Id}", RecommendationKind.RunAuto, rule.Id, null, mine.Count, unchanged, lower, Invariant(
                        $"rule '{rule.Id}': {unchanged:N0} of {mine.Count:N0} approved unchanged, lower bound {lower:P1}: let it run auto")));
            }
        }

        if (Floor(policy.Defaults.ConfidenceFloor, records, agreement, minDecisions) is { } floor)
        {
            found.Add(floor);
        }

        return found;
    }

    // Cases held only for low confidence, by the confidence they came with: the lowest floor (in steps of 0.05) such that
    // those between it and today's floor were approved unchanged reliably enough. Each step down needs cases of its own
    // (a fifth of minDecisions, at least 10): no evidence about a band is no reason to let it through.
    private static Recommendation? Floor(double current, IReadOnlyCollection<DecisionRecord> records, double agreement, int minDecisions)
    {
        var held = records.Where(static r => r.Rules.Count == 1 && r.Rules[0] == "low-confidence" && r.Confidence is not null).ToList();
        var perBand = Math.Max(10, minDecisions / 5);
        Recommendation? best = null;
        var top = current;
        for (var floor = Math.Floor((current - 1e-9) * 20) / 20; floor >= LowestFloor - 1e-9; floor -= 0.05)
        {
            var candidate = Math.Round(floor, 2);
            var band = held.Count(r => r.Confidence >= candidate && r.Confidence < top);
            top = candidate;
            if (band < perBand)
            {
                break;
            }

            var between = held.Where(r => r.Confidence >= candidate && r.Confidence < current).ToList();
            var unchanged = between.Count(static r => r.ApprovedUnchanged);
            var lower = Proportion.Wilson(unchanged, between.Count).Lower;
            if (between.Count < minDecisions)
            {
                continue;
            }

            if (lower < agreement)
            {
                break;
            }

            best = new Recommendation(
                Invariant($"floor:{candidate:0.##}"), RecommendationKind.LowerFloor, null, candidate, between.Count, unchanged, lower, Invariant(
                    $"low confidence: {unchanged:N0} of {between.Count:N0} proposals with confidence from {candidate:0.##} to {current:0.##} approved unchanged, lower bound {lower:P1}: lower the floor to {candidate:0.##}"));
        }

        return best;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
