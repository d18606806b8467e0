using System.Globalization;

namespace Handoff.Core.Learning;

/// <summary>One decided case of the calibration sample: the gate's score for it, and whether the person did not approve the proposal unchanged.</summary>
public readonly record struct Calibrated(double Score, bool Error);

/// <summary>
/// What <see cref="RiskControl.Choose"/> found: the most lenient threshold it could certify (null when none), what the
/// calibration cases at or above it were, and in words why.
/// </summary>
public sealed record GateThreshold(double? Threshold, int Covered, int Errors, int CalibrationSize, double ErrorUpperBound, string Reason)
{
    /// <summary>The share of the calibration cases the gate would have approved.</summary>
    public double Coverage => CalibrationSize == 0 ? 0 : (double)Covered / CalibrationSize;
}

/// <summary>
/// Chooses the learned gate's threshold with a finite-sample guarantee: Learn-then-Test (Angelopoulos, Bates, Candès,
/// Jordan and Lei, 2021) with fixed-sequence testing. For each candidate threshold λ, strictest first, the null
/// hypothesis "the error rate among cases scoring ≥ λ exceeds α" is tested with the exact binomial p-value
/// P(Binomial(n, α) ≤ k), n and k the calibration cases at or above λ and the errors among them. The walk stops at the
/// first threshold it cannot reject at δ; the last rejected one is chosen. Fixed-sequence testing controls the
/// family-wise error at δ without a multiplicity correction, so with probability at least 1 − δ over the calibration
/// sample, the error rate among the cases the chosen threshold lets through is at most α — provided the calibration
/// cases are exchangeable with the cases the gate will see, and the candidates were fixed without looking at them.
/// <para>
/// Thresholds with fewer than <see cref="MinimumCovered"/> cases above them are passed over rather than ending the walk:
/// no outcome of theirs could be rejected, and whether one is passed over depends only on how many calibration scores
/// lie above each candidate, not on any case's outcome. Given those counts, the cases above a threshold are still
/// independent draws from the cases the gate would approve, so each test stays valid and the sequence stays fixed.
/// </para>
/// </summary>
public static class RiskControl
{
    /// <summary>The fewest cases that could certify anything: the smallest n with (1 − α)ⁿ ≤ δ (zero errors in n).</summary>
    public static int MinimumCovered(double maxError, double confidence)
    {
        CheckLevels(maxError, confidence);
        return (int)Math.Ceiling(Math.Log(1 - confidence) / Math.Log(1 - maxError));
    }

    /// <summary>
    /// Where a walk has power: the fewest cases above a threshold at which an observed error rate of half
    /// <paramref name="maxError"/> would be certified — for 2 % at 95 %, 386 cases with 3 errors. A walk that starts
    /// at the bare <see cref="MinimumCovered"/> (149 such cases, zero errors allowed) ends at the first error it meets;
    /// starting here, an agent that errs at half the bound passes.
    /// </summary>
    public static int PowerfulCovered(double maxError, double confidence)
    {
        CheckLevels(maxError, confidence);
        for (var n = MinimumCovered(maxError, confidence); ; n++)
        {
            if (Proportion.BinomialCdf((int)Math.Floor(n * maxError / 2), n, maxError) <= 1 - confidence)
            {
                return n;
            }
        }
    }

    /// <summary>
    /// The fewest cases above a threshold the walk tests for a calibration sample of <paramref name="calibrationSize"/>:
    /// <see cref="PowerfulCovered"/>, but never more than half the sample (so that a small sample can still certify a
    /// strict threshold) and never fewer than <see cref="MinimumCovered"/>. It depends on counts only, never on outcomes.
    /// </summary>
    public static int StartCovered(int calibrationSize, double maxError, double confidence) =>
        Math.Max(MinimumCovered(maxError, confidence), Math.Min(PowerfulCovered(maxError, confidence), calibrationSize / 2));

    /// <summary>
    /// Candidate thresholds, strictest first, fixed before the calibration sample is looked at: the scores of a separate
    /// sample (the training split's, say) at <paramref name="steps"/> coverages evenly spaced from the one at which the
    /// calibration sample's expected count above is <see cref="MinimumCovered"/> up to all of it. Depends on the
    /// calibration sample only through its size. Empty when the sample is too small to certify anything.
    /// </summary>
    public static IReadOnlyList<double> Grid(IEnumerable<double> referenceScores, int calibrationSize, double maxError, double confidence, int steps = 50, int? startCovered = null)
    {
        ArgumentNullException.ThrowIfNull(referenceScores);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var reference = referenceScores.OrderDescending().ToArray();
        var minimum = Math.Max(MinimumCovered(maxError, confidence), startCovered ?? 0);
        if (reference.Length == 0 || calibrationSize < minimum)
        {
            return [];
        }

        var start = Math.Min(1.0, (double)minimum / calibrationSize);
        var grid = new List<double>(steps);
        for (var i = 0; i < steps; i++)
        {
            var coverage = start + ((1 - start) * i / (steps - 1));
            var rank = Math.Clamp((int)Math.Ceiling(coverage * reference.Length) - 1, 0, reference.Length - 1);
            if (grid.Count == 0 || reference[rank] < grid[^1])
            {
                grid.Add(reference[rank]);
            }
        }

        return grid;
    }

    /// <summary>
    /// Walks <paramref name="candidates"/> (strictest first: non-increasing) and returns the most lenient threshold
    /// certified at error <paramref name="maxError"/> with <paramref name="confidence"/> (1 − δ).
    /// </summary>
    /// <exception cref="ArgumentException">The candidates increase somewhere.</exception>
    /// <param name="startCovered">
    /// Thresholds with fewer calibration cases above them are passed over (at least <see cref="MinimumCovered"/>; see
    /// <see cref="StartCovered"/>): a count, so the walk stays fixed.
    /// </param>
    public static GateThreshold Choose(IReadOnlyList<double> candidates, IReadOnlyList<Calibrated> calibration, double maxError, double confidence, int? startCovered = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(calibration);
        CheckLevels(maxError, confidence);
        if (candidates.Any(static c => !double.IsFinite(c)) || calibration.Any(static c => !double.IsFinite(c.Score)))
        {
            throw new ArgumentException("Thresholds and scores must be finite numbers.", nameof(candidates));
        }

        for (var i = 1; i < candidates.Count; i++)
        {
            if (candidates[i] > candidates[i - 1])
            {
                throw new ArgumentException("The candidate thresholds must run from the strictest (highest) to the most lenient.", nameof(candidates));
            }
        }

        var delta = 1 - confidence;
        var minimum = Math.Max(MinimumCovered(maxError, confidence), startCovered ?? 0);
        if (calibration.Count < minimum || candidates.Count == 0)
        {
            return new GateThreshold(null, 0, 0, calibration.Count, 1, Invariant(
                $"too few decisions to certify anything: {calibration.Count:N0} in the calibration sample, at least {minimum:N0} needed for an error of at most {maxError:P1} with {confidence:P0} confidence"));
        }

        var sorted = calibration.OrderByDescending(static c => c.Score).ToArray();
        int covered = 0, errors = 0;
        (double Threshold, int Covered, int Errors)? certified = null;
        foreach (var threshold in candidates)
        {
            while (covered < sorted.Length && sorted[covered].Score >= threshold)
            {
                errors += sorted[covered].Error ? 1 : 0;
                covered++;
            }

            if (covered < minimum)
            {
                // Untestable: no outcome of so few cases could be rejected. Passed over (see the remarks above).
                continue;
            }

            var p = Proportion.BinomialCdf(errors, covered, maxError);
            if (p > delta)
            {
                if (certified is null)
                {
                    return new GateThreshold(null, covered, errors, sorted.Length, Proportion.ClopperPearsonUpper(errors, covered, confidence), Invariant(
                        $"no threshold certified: at the strictest testable one ({threshold:0.#####}), {errors:N0} of {covered:N0} calibration cases were not approved unchanged; an error of at most {maxError:P1} cannot be shown with {confidence:P0} confidence (p = {p:0.###})"));
                }

                break;
            }

            certified = (threshold, covered, errors);
        }

        if (certified is null)
        {
            return new GateThreshold(null, covered, errors, sorted.Length, covered == 0 ? 1 : Proportion.ClopperPearsonUpper(errors, covered, confidence), Invariant(
                $"no threshold certified: even the most lenient candidate has fewer than the {minimum:N0} calibration cases above it that an error of at most {maxError:P1} with {confidence:P0} confidence needs"));
        }

        var (chosen, n, k) = certified.Value;
        var bound = Proportion.ClopperPearsonUpper(k, n, confidence);
        return new GateThreshold(chosen, n, k, sorted.Length, bound, Invariant(
            $"certified at {chosen:0.#####}: {n:N0} of {sorted.Length:N0} calibration cases score at or above it, {k:N0} of them not approved unchanged ({(double)k / n:P1}); error at most {maxError:P1} with {confidence:P0} confidence"));
    }

    private static void CheckLevels(double maxError, double confidence)
    {
        if (!(maxError is > 0 and < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(maxError), maxError, "The error bound must lie strictly between 0 and 0.5.");
        }

        if (!(confidence is > 0.5 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must lie strictly between 0.5 and 1.");
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
