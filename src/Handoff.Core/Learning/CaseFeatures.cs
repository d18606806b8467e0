using Handoff.Core.Cases;

namespace Handoff.Core.Learning;

/// <summary>
/// What the learned gate's model reads of a case: its kind, the proposed action, the intent, the rules that held it
/// back, the agent's confidence and its text. The same for a decided case (from the ledger) and a new one.
/// </summary>
public sealed record CaseFeatures(CaseKind Kind, string? Action, string? Intent, IReadOnlyList<string> Rules, double? Confidence, string Text)
{
    /// <summary>A new case's features, as the ledger would record them.</summary>
    public static CaseFeatures Of(HandoffCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return Of(c.Content, c.Evaluation);
    }

    /// <summary>A case being submitted, with the policy's evaluation of it.</summary>
    public static CaseFeatures Of(CaseContent content, Policy.Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(evaluation);
        return new CaseFeatures(
            content.Kind, content.Proposal?.Action?.Name, DecisionText.Intent(content),
            [.. evaluation.ReasonsForAPerson.Select(static r => r.Rule).Distinct(StringComparer.Ordinal)], content.Proposal?.Confidence,
            DecisionText.Of(content));
    }

    /// <summary>A decided case's features.</summary>
    public static CaseFeatures Of(DecisionRecord decided)
    {
        ArgumentNullException.ThrowIfNull(decided);
        return new CaseFeatures(decided.Kind, decided.Action, decided.Intent, decided.Rules, decided.Confidence, decided.Text);
    }
}
