using CsCheck;
using Handoff.Core.Learning;

namespace Handoff.Core.Tests.Learning;

/// <summary>Wilson's interval and the Clopper–Pearson bounds against values worked by hand and their defining properties.</summary>
public sealed class ProportionTests
{
    [Theory]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(5, 10, 0.2366, 0.7634)]
    // The example: 312 of 314 approved unchanged, lower bound 97.7 %.
    [InlineData(312, 314, 0.9771, 0.9983)]
    public void Wilson_MatchesTheScoreIntervalWorkedByHand(int k, int n, double lower, double upper)
    {
        var interval = Proportion.Wilson(k, n);

        Assert.Equal(lower, interval.Lower, 4);
        Assert.Equal(upper, interval.Upper, 4);
    }

    [Fact]
    public void Wilson_WithNoObservations_IsEverything() =>
        Assert.Equal(new Interval(0, 1), Proportion.Wilson(0, 0));

    [Theory]
    [InlineData(100, 0.95)]
    [InlineData(1000, 0.99)]
    [InlineData(37, 0.9)]
    public void ClopperPearsonUpper_WithNoErrors_Is1MinusDeltaToThe1OverN(int n, double confidence) =>
        Assert.Equal(1 - Math.Pow(1 - confidence, 1.0 / n), Proportion.ClopperPearsonUpper(0, n, confidence), 9);

    [Fact]
    public void ClopperPearsonLower_WithNoFailures_IsDeltaToThe1OverN() =>
        Assert.Equal(Math.Pow(0.05, 1.0 / 200), Proportion.ClopperPearsonLower(200, 200, 0.95), 9);

    [Fact]
    public void ClopperPearsonUpper_IsWhereKOrFewerBecomeDeltaLikely()
    {
        // The definition: P(Binomial(n, upper) ≤ k) = δ, and any p above it makes k or fewer less likely than δ.
        Gen.Select(Gen.Int[1, 3000], Gen.Double[0, 1], Gen.Double[0.8, 0.999]).Sample((n, share, confidence) =>
        {
            var k = (int)Math.Floor(share * (n - 1));
            var upper = Proportion.ClopperPearsonUpper(k, n, confidence);
            Assert.Equal(1 - confidence, Proportion.BinomialCdf(k, n, upper), 6);
            Assert.True(Proportion.BinomialCdf(k, n, Math.Min(1, upper + 1e-3)) < 1 - confidence);
            Assert.InRange(upper, (double)k / n, 1);
        });
    }

    [Fact]
    public void TheBounds_HoldTheirPromise_InRepeatedDraws()
    {
        // Coverage by simulation: with a true rate of 3 %, the 95 % upper bound of 400 draws lies below it in at most
        // about 5 % of samples (Clopper–Pearson is conservative: fewer).
        var random = new Random(20261206);
        const double truth = 0.03;
        var missed = 0;
        for (var draw = 0; draw < 2000; draw++)
        {
            var k = Enumerable.Range(0, 400).Count(_ => random.NextDouble() < truth);
            missed += Proportion.ClopperPearsonUpper(k, 400, 0.95) < truth ? 1 : 0;
        }

        Assert.InRange(missed / 2000.0, 0, 0.05);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(11, 10)]
    public void Bounds_RefuseCountsThatAreNoProportion(int k, int n) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportion.Wilson(k, n));
}
