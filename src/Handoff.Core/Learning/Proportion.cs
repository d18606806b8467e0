using MathNet.Numerics.Distributions;

namespace Handoff.Core.Learning;

/// <summary>
/// Intervals for a proportion observed as <c>k</c> of <c>n</c>: Wilson's score interval for the numbers people read
/// (agreement per rule), and Clopper–Pearson's exact bounds where a guarantee rests on them (the learned gate's error).
/// </summary>
public static class Proportion
{
    /// <summary>
    /// Wilson's score interval (Wilson 1927) at two-sided <paramref name="confidence"/>: good coverage even for small
    /// <paramref name="n"/> and proportions near 0 or 1, where the normal approximation fails. With no observations the
    /// interval is [0, 1].
    /// </summary>
    public static Interval Wilson(int k, int n, double confidence = 0.95)
    {
        Check(k, n, confidence);
        if (n == 0)
        {
            return new Interval(0, 1);
        }

        var z = Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));
        var p = (double)k / n;
        var z2 = z * z;
        var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = z / (1 + (z2 / n)) * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n)));
        return new Interval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The one-sided Clopper–Pearson upper bound at <paramref name="confidence"/> (1 − δ): the largest p with
    /// P(Binomial(n, p) ≤ k) ≥ δ, so that a true proportion above it would have produced k or fewer with probability
    /// below δ. Exact (never below nominal coverage). 1 with no observations.
    /// </summary>
    public static double ClopperPearsonUpper(int k, int n, double confidence)
    {
        Check(k, n, confidence);
        return k >= n ? 1 : Beta.InvCDF(k + 1, n - k, confidence);
    }

    /// <summary>The one-sided Clopper–Pearson lower bound at <paramref name="confidence"/>; 0 when <paramref name="k"/> is 0.</summary>
    public static double ClopperPearsonLower(int k, int n, double confidence)
    {
        Check(k, n, confidence);
        return k == 0 ? 0 : Beta.InvCDF(k, n - k + 1, 1 - confidence);
    }

    /// <summary>P(Binomial(<paramref name="n"/>, <paramref name="p"/>) ≤ <paramref name="k"/>): the p-value of k or fewer errors in n when the error rate is p.</summary>
    public static double BinomialCdf(int k, int n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        return k < 0 ? 0 : k >= n ? 1 : Binomial.CDF(p, n, k);
    }

    private static void Check(int k, int n, double confidence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(confidence, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(confidence, 1);
    }
}

/// <summary>A closed interval [<see cref="Lower"/>, <see cref="Upper"/>] within [0, 1].</summary>
public readonly record struct Interval(double Lower, double Upper);
