using Handoff.Core.Cases;

namespace Handoff.Core.Learning;

/// <summary>
/// One person's decision on a case, as learning reads it: what came (kind, the proposed action, the intent the agent
/// named, the rules that asked for a person, the agent's confidence) and what the person said. Kept in the store's
/// decision ledger, written with the decision itself.
/// </summary>
/// <param name="Action">The proposed tool call's name; null for a reply without one.</param>
/// <param name="Intent">The case's <c>facts.intent</c>, or else <c>facts.topic</c>; null when it has neither.</param>
/// <param name="Rules">The rules and built-ins that asked for a person (<see cref="Policy.Evaluation.ReasonsForAPerson"/>).</param>
/// <param name="Text">What similarity reads: the summary, the conversation and the proposal's text (see <see cref="DecisionText"/>).</param>
public sealed record DecisionRecord(
    string CaseId,
    DateTimeOffset CreatedAt,
    DateTimeOffset DecidedAt,
    CaseKind Kind,
    string? Action,
    string? Intent,
    IReadOnlyList<string> Rules,
    double? Confidence,
    Verdict Verdict,
    string? DecidedBy,
    string Text)
{
    /// <summary>Whether the person approved the AI's proposal unchanged: the agreement the learned gate predicts.</summary>
    public bool ApprovedUnchanged => Verdict == Verdict.Approve;

    /// <summary>
    /// Whether this decision belongs to the learned gate's unbiased sample: every decision taken while the gate did not
    /// act on the case's kind (off, advise, no threshold yet) does, and once it acts, only the cases drawn with
    /// probability qaSample — a person's decision on a held-back case and a QA check of an approved one alike (see
    /// <see cref="GateJudgement.Sample"/>). Calibration reads only these.
    /// </summary>
    public bool Sample { get; init; } = true;

    /// <summary>
    /// The ledger's record of <paramref name="decided"/>, or null when its decision is not a person's judgement of the
    /// proposal: undecided, decided by the policy or a timeout, or handed back after a takeover.
    /// </summary>
    public static DecisionRecord? Of(HandoffCase decided)
    {
        ArgumentNullException.ThrowIfNull(decided);
        (DateTimeOffset At, Verdict Verdict, string By) judged;
        if (decided.Qa is { } qa && decided.Decision is not null)
        {
            // A QA check of a case approved without a person: the person's judgement of the proposal, after the fact.
            // The rules are the ones that held it back before the gate approved it (none for a plain auto approval).
            judged = (qa.At, qa.Agreed ? Verdict.Approve : Verdict.Reject, qa.By.Id);
        }
        else if (decided.Decision is { DecidedBy: { } by, TimedOut: false } decision && by.IsPerson() && decision.Verdict != Verdict.HandBack)
        {
            judged = (decision.DecidedAt, decision.Verdict, by.Id);
        }
        else
        {
            return null;
        }

        var content = decided.Content;
        return new DecisionRecord(
            decided.Id,
            decided.CreatedAt,
            judged.At,
            content.Kind,
            content.Proposal?.Action?.Name,
            DecisionText.Intent(content),
            PrecedentRanking.RulesOf(decided),
            content.Proposal?.Confidence,
            judged.Verdict,
            judged.By,
            DecisionText.Of(content))
        {
            Sample = decided.Evaluation.Learned is not { } learned || learned.Sample,
        };
    }
}
