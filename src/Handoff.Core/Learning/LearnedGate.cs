using System.Globalization;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Learning;

/// <summary>
/// The learned gate's rules, apart from its model: which cases are its to judge, what it says when it approves one,
/// and when the live QA sample shows its bound broken. See docs/learning.md.
/// </summary>
public static class LearnedGate
{
    /// <summary>The reason id the gate's approvals carry.</summary>
    public const string ReasonId = "learned";

    /// <summary>
    /// Whether <paramref name="evaluation"/>'s case is the gate's to judge: the policy's learning is on, the case must
    /// go to a person (review or escalate), every reason it must is learnable, no pinned rule fired at all, and no
    /// rule failed to evaluate. A blocked case never is; nor is any case while autonomy is stopped.
    /// </summary>
    public static bool Eligible(CompiledPolicy policy, Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(evaluation);
        var settings = policy.Learning;
        if (settings.Mode == LearningMode.Off || evaluation.Outcome is not (Outcome.Review or Outcome.Escalate))
        {
            return false;
        }

        var anyForAPerson = false;
        foreach (var reason in evaluation.Reasons)
        {
            var rule = FindRule(policy, reason.Rule);
            if (rule is { Pinned: true })
            {
                return false;
            }

            if (!reason.AskedForAPerson)
            {
                continue;
            }

            anyForAPerson = true;
            // A rule that could not be evaluated carries its failure as its text: the gate never judges what the
            // policy itself could not read.
            if (!settings.Learnable.Contains(reason.Rule, StringComparer.Ordinal) || (rule is not null && reason.Text != rule.Reason))
            {
                return false;
            }
        }

        return anyForAPerson;
    }

    /// <summary>Whether a decided case of the ledger belongs to the gate's population under <paramref name="settings"/>.</summary>
    public static bool InPopulation(LearningSettings settings, DecisionRecord decided)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(decided);
        return decided.Rules.Count > 0 && decided.Rules.All(rule => settings.Learnable.Contains(rule, StringComparer.Ordinal));
    }

    /// <summary>The reason of a case the gate approved, in words a reviewer reads.</summary>
    public static Reason Approval(double score, GateThreshold threshold, LearningSettings settings)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        ArgumentNullException.ThrowIfNull(settings);
        var agreed = threshold.Covered == 0 ? 0 : 1 - ((double)threshold.Errors / threshold.Covered);
        return new Reason(ReasonId, string.Create(CultureInfo.InvariantCulture,
            $"learned: similar cases approved {agreed * 100:0.0} % unchanged ({threshold.Covered - threshold.Errors:N0} of {threshold.Covered:N0}); score {score:0.#####} ≥ {threshold.Threshold:0.#####}; bound {settings.MaxError * 100:0.##} % at {settings.Confidence * 100:0.#} % confidence"),
            Outcome.Auto);
    }

    /// <summary>
    /// The gate's live error bound: the one-sided Clopper–Pearson upper bound at <see cref="LearningSettings.Confidence"/>
    /// on the error among the cases it approves, from the calibration cases above its threshold and the QA checks of its
    /// approvals since, pooled (both are uniform draws of the same population); it starts at or below
    /// <see cref="LearningSettings.MaxError"/>, which is what certifying the threshold means. The bound is
    /// <see cref="LiveBound.Broken"/> — and the gate turns itself off — when QA alone shows that the approvals err more
    /// often than <see cref="LearningSettings.MaxError"/>: the lower Clopper–Pearson bound of the QA error rate is above
    /// it. The test is repeated after every check, so it spends the policy's error budget across the looks: the n-th
    /// look tests at level (1 − confidence) / (n (n + 1)), and those levels add up to 1 − confidence, so a gate whose
    /// approvals do err within maxError is stopped with at most that probability over all its checks. (Stopping as soon
    /// as the pooled upper bound passed maxError, as the gate first did, stopped it on one unlucky QA error: in 11 of 20
    /// CLINC150 runs a gate whose error was within its bound switched itself off; testing every look at the full level
    /// stopped 2 of 20 after an error in their first two checks.)
    /// </summary>
    public static LiveBound Live(GateThreshold threshold, int qaChecked, int qaErrors, LearningSettings settings)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(qaChecked);
        ArgumentOutOfRangeException.ThrowIfNegative(qaErrors);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(qaErrors, qaChecked);
        var n = threshold.Covered + qaChecked;
        var k = threshold.Errors + qaErrors;
        var upper = n == 0 ? 1 : Proportion.ClopperPearsonUpper(k, n, settings.Confidence);
        var qaUpper = qaChecked == 0 ? 1 : Proportion.ClopperPearsonUpper(qaErrors, qaChecked, settings.Confidence);
        var qaLower = qaChecked == 0 ? 0 : Proportion.ClopperPearsonLower(qaErrors, qaChecked, 1 - (1 - settings.Confidence) / (qaChecked * (qaChecked + 1.0)));
        return new LiveBound(qaChecked, qaErrors, qaUpper, upper, qaLower > settings.MaxError) { QaLowerBound = qaLower };
    }

    private static PolicyRule? FindRule(CompiledPolicy policy, string id)
    {
        foreach (var rule in policy.Rules)
        {
            if (rule.Id == id)
            {
                return rule;
            }
        }

        return null;
    }
}

/// <summary>
/// The live check of the gate's approvals: how many QA checked and how many of those a person would not have approved
/// unchanged, the QA sample's own upper bound, the pooled upper bound, and whether it passed the policy's maxError.
/// </summary>
public sealed record LiveBound(int Checked, int Errors, double QaUpperBound, double UpperBound, bool Broken)
{
    /// <summary>The lower Clopper–Pearson bound of the QA error rate, at this look's share of the policy's error budget: above maxError, the gate stops.</summary>
    public double QaLowerBound { get; init; }

    /// <summary>The error rate QA measured; null before the first check.</summary>
    public double? Rate => Checked == 0 ? null : (double)Errors / Checked;
}
