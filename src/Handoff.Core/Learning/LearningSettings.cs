namespace Handoff.Core.Learning;

/// <summary>What the learned gate may do: nothing, show its prediction to the reviewer, or approve on its own.</summary>
public enum LearningMode
{
    Off,
    Advise,
    Auto,
}

/// <summary>
/// The policy's <c>learning</c> section: whether the learned gate runs, the risk bound it must keep (at most
/// <see cref="MaxError"/> of the cases it approves not approved unchanged by a person, with <see cref="Confidence"/>),
/// how many decisions it needs before it may act, and which share of its approvals a person checks afterwards.
/// </summary>
/// <param name="Mode">off (the default), advise or auto.</param>
/// <param name="MaxError">The largest error rate allowed among the cases the gate approves, in (0, 0.5).</param>
/// <param name="Confidence">How sure the bound must be, 1 − δ, strictly between 0.5 and 1.</param>
/// <param name="MinDecisions">The fewest decisions of the gate's population before it is trained at all.</param>
/// <param name="QaSample">The share of the gate's approvals (and of the cases it leaves to people, for calibration) sampled for QA.</param>
public sealed record LearningSettings(LearningMode Mode, double MaxError, double Confidence, int MinDecisions, double QaSample)
{
    /// <summary>The built-in settings: the gate off; a policy that turns it on keeps these bounds unless it names others.</summary>
    public static LearningSettings Off { get; } = new(LearningMode.Off, 0.01, 0.95, 200, 0.05);

    /// <summary>The only reason the gate may act on: the proposal's confidence was below the floor.</summary>
    public const string LowConfidence = "low-confidence";

    /// <summary>
    /// The reasons for a person the gate may overrule: rule ids (never pinned or block rules) and
    /// <c>low-confidence</c>. A case held back by any other reason is never the gate's.
    /// </summary>
    /// <value>The default value is <c>[low-confidence]</c>.</value>
    public IReadOnlyList<string> Learnable { get; init; } = [LowConfidence];

    /// <summary>The share of plain auto approvals (the policy's own, not the gate's) also sent to QA.</summary>
    /// <value>The default value is 0.</value>
    public double AutoQaSample { get; init; }

    public bool Equals(LearningSettings? other) =>
        other is not null && Mode == other.Mode && MaxError.Equals(other.MaxError) && Confidence.Equals(other.Confidence)
        && MinDecisions == other.MinDecisions && QaSample.Equals(other.QaSample) && AutoQaSample.Equals(other.AutoQaSample)
        && Learnable.SequenceEqual(other.Learnable);

    public override int GetHashCode() => HashCode.Combine(Mode, MaxError, Confidence, MinDecisions, QaSample, AutoQaSample, Learnable.Count);
}
