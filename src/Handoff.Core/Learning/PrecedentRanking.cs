using Handoff.Core.Cases;

namespace Handoff.Core.Learning;

/// <summary>A decided case ranked as a precedent for another: how it relates to it, and its full-text relevance.</summary>
public sealed record RankedPrecedent(DecisionRecord Record, bool SameAction, IReadOnlyList<string> SharedRules, double Relevance);

/// <summary>
/// Orders full-text matches as precedents for a case: those that proposed the same action and came for the same rules
/// first (what a person deciding this case most needs to see: how the same kind of case went), then by text.
/// </summary>
public static class PrecedentRanking
{
    /// <summary>The <paramref name="count"/> best of <paramref name="matches"/> for a case proposing <paramref name="action"/>, held back by <paramref name="rules"/>.</summary>
    public static IReadOnlyList<RankedPrecedent> Rank(
        IEnumerable<(DecisionRecord Record, double Relevance)> matches, string? action, IReadOnlyCollection<string> rules, int count)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(rules);
        return [.. matches
            .Select(m => new RankedPrecedent(
                m.Record,
                // Two replies propose no action: that is not the same action.
                action is not null && string.Equals(m.Record.Action, action, StringComparison.Ordinal),
                [.. m.Record.Rules.Where(r => rules.Contains(r)).Distinct(StringComparer.Ordinal)],
                m.Relevance))
            .OrderByDescending(static p => (p.SameAction ? 1 : 0) + (p.SharedRules.Count > 0 ? 1 : 0))
            .ThenByDescending(static p => p.Relevance)
            .ThenByDescending(static p => p.Record.DecidedAt)
            .Take(count)];
    }

    /// <summary>The rules that held <paramref name="c"/> back for a person, as the ledger names them.</summary>
    public static IReadOnlyList<string> RulesOf(HandoffCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return [.. c.Evaluation.ReasonsForAPerson.Select(static r => r.Rule).Distinct(StringComparer.Ordinal)];
    }
}
