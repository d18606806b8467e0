using Handoff.Core.Learning;

namespace Handoff.Eval;

/// <summary>What happened to one case of the stream.</summary>
/// <param name="Correct">The oracle would approve the proposal unchanged: the agent named the true label, and it is not a must-escalate label.</param>
/// <param name="Pinned">The agent's label is a must-escalate one: the policy's pinned rule sent the case to a person.</param>
/// <param name="Automated">Approved without a person when it came (by the learned gate, or by the policy).</param>
public sealed record CaseOutcome(string Truth, string Predicted, double Confidence, bool Correct, bool Pinned, bool Automated, bool ByGate, double? Score, bool Qa);

/// <summary>
/// Figures over a run of cases: how many were automated and how many of those were wrong (silent errors, with the
/// one-sided Clopper–Pearson upper bound), how many the oracle would have approved unchanged (the automatable) and
/// how many of those were automated, and the people's work (decisions and QA checks).
/// </summary>
public sealed record Figures(int Cases, int Automated, int AutomatedErrors, int Automatable, int AutomatedCorrect, int PersonDecisions, int QaChecks, double Confidence)
{
    public double AutomatedShare => Cases == 0 ? 0 : (double)Automated / Cases;

    public double AutomatableShare => Automatable == 0 ? 0 : (double)AutomatedCorrect / Automatable;

    public double SilentError => Automated == 0 ? 0 : (double)AutomatedErrors / Automated;

    public double SilentErrorUpper => Automated == 0 ? 1 : Proportion.ClopperPearsonUpper(AutomatedErrors, Automated, Confidence);

    public double Workload => Cases == 0 ? 0 : (double)(PersonDecisions + QaChecks) / Cases;

    /// <summary>The learned gate's figures over <paramref name="cases"/> as they happened.</summary>
    public static Figures OfGate(IReadOnlyList<CaseOutcome> cases, double confidence) => new(
        cases.Count,
        cases.Count(static c => c.Automated),
        cases.Count(static c => c.Automated && !c.Correct),
        cases.Count(static c => c.Correct),
        cases.Count(static c => c.Automated && c.Correct),
        cases.Count(static c => !c.Automated),
        cases.Count(static c => c.Qa),
        confidence);
}

/// <summary>A static confidence floor tuned in hindsight on the same cases: the lowest floor whose automated cases err at most the target.</summary>
public sealed record FloorFigures(double? Floor, double Target, Figures Figures)
{
    /// <summary>
    /// The lowest floor at which the cases the agent was at least that confident of (pinned ones aside, as the policy
    /// keeps them) err at most <paramref name="target"/>; null (nothing automated) when no floor does.
    /// </summary>
    public static FloorFigures Tune(IReadOnlyList<CaseOutcome> cases, double target, double confidence)
    {
        var candidates = cases.Where(static c => !c.Pinned).OrderByDescending(static c => c.Confidence).ToList();
        int errors = 0, best = 0, bestErrors = 0;
        double? floor = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            errors += candidates[i].Correct ? 0 : 1;
            // A floor takes every case at or above it: only the last of equal confidences is a place to cut.
            if ((i + 1 == candidates.Count || candidates[i + 1].Confidence < candidates[i].Confidence) && errors <= target * (i + 1))
            {
                (best, bestErrors, floor) = (i + 1, errors, candidates[i].Confidence);
            }
        }

        var automatedCorrect = best - bestErrors;
        return new FloorFigures(floor, target, new Figures(
            cases.Count, best, bestErrors, cases.Count(static c => c.Correct), automatedCorrect, cases.Count - best, 0, confidence));
    }
}

/// <summary>
/// One report point: the figures after <see cref="Cases"/> cases, for the gate, for a static floor tuned in hindsight
/// to the gate's measured error (to zero errors while the gate has automated nothing), and, for scale, for a floor
/// tuned in hindsight to maxError itself (which no deployment could know in advance).
/// </summary>
public sealed record EvalPoint(int Cases, Figures Gate, FloorFigures Floor, FloorFigures FloorAtMaxError, string GateStatus)
{
    /// <summary>The gate's figures over the cases since the previous point only: what it does now, not on average since the start.</summary>
    public Figures? Window { get; init; }
}

/// <summary>One shuffled run through a fresh server.</summary>
public sealed record EvalRun(int Seed, IReadOnlyList<EvalPoint> Points, double MaxError, double ClassifierAccuracy)
{
    public EvalPoint Final => Points[^1];

    /// <summary>Whether the measured silent error stayed within maxError.</summary>
    public bool BoundHeld => Final.Gate.SilentError <= MaxError;

    /// <summary>How many points more of the automatable the gate automated than the floor at equal error.</summary>
    public double Advantage => Final.Gate.AutomatableShare - Final.Floor.Figures.AutomatableShare;
}

/// <summary>A whole evaluation: its settings, the data, and every run.</summary>
public sealed record EvalReport(string Data, EvalSettings Settings, int TrainExamples, int TestExamples, IReadOnlyList<EvalRun> Runs)
{
    public double BoundHeldShare => Runs.Count == 0 ? 0 : (double)Runs.Count(static r => r.BoundHeld) / Runs.Count;
}

/// <summary>What the agent's classifier reads: sentence embeddings (all-MiniLM-L6-v2), or word and character n-grams.</summary>
public enum EvalAgent
{
    Embeddings,
    Text,
}

/// <summary>How the harness runs: the policy's learning settings, how often it retrains and reports, which shuffles, how many cases, which agent.</summary>
public sealed record EvalSettings(
    double MaxError = 0.02,
    double Confidence = 0.95,
    int MinDecisions = 500,
    double QaSample = 0.1,
    int RetrainEvery = 500,
    int ReportEvery = 500,
    int Runs = 1,
    int Seed = 1,
    int? Limit = null,
    int? TrainLimit = null,
    EvalAgent Agent = EvalAgent.Embeddings);
