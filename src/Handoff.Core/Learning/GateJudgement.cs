namespace Handoff.Core.Learning;

/// <summary>
/// What the learned gate made of a case when it came in, kept with its evaluation: the model's probability that a
/// person approves the proposal unchanged, the certified threshold then in force, whether the gate approved the case
/// itself, and whether the case was drawn into the unbiased sample (see docs/learning.md): a drawn case the gate or
/// the policy approved goes to the QA queue; a drawn case a person decides is calibration data.
/// </summary>
/// <param name="Score">The model's probability; null for a plain auto approval drawn for QA.</param>
/// <param name="Threshold">The certified threshold when the case came; null when the gate had none (off, advise, too few decisions).</param>
/// <param name="Approved">The gate approved the case without a person.</param>
/// <param name="Sample">The case belongs to the unbiased sample: QA when approved without a person, calibration otherwise.</param>
public sealed record GateJudgement(double? Score, double? Threshold, bool Approved, bool Sample)
{
    /// <summary>Whether a person checks this case after the fact: drawn, and approved without a person.</summary>
    public bool ForQa(Policy.Outcome outcome) => Sample && outcome == Policy.Outcome.Auto;
}

/// <summary>A person's after-the-fact check of a case approved without one: would they have approved it unchanged.</summary>
public sealed record QaReview(bool Agreed, Cases.Actor By, DateTimeOffset At, string? Note);
