using Handoff.Core.Learning;

namespace Handoff.Core.Tests.Learning;

/// <summary>
/// The learned gate's threshold (Learn-then-Test, fixed sequence): worked examples, and the guarantee by simulation —
/// over repeated calibration samples, the true error above the chosen threshold exceeds the bound in at most δ of them.
/// </summary>
public sealed class RiskControlTests
{
    [Fact]
    public void MinimumCovered_IsTheFewestErrorFreeCasesThatCertify() =>
        // 0.98^149 = 0.0497 ≤ 0.05 < 0.98^148 = 0.0507.
        Assert.Equal(149, RiskControl.MinimumCovered(0.02, 0.95));

    [Fact]
    public void Choose_CertifiesTheMostLenientThresholdBeforeTheFirstFailure()
    {
        // 300 clean cases at 0.9, then 300 with 2 % errors at 0.7, then 300 with half errors at 0.5.
        var calibration = Cases(300, 0.9, 0).Concat(Cases(300, 0.7, 6)).Concat(Cases(300, 0.5, 150)).ToList();

        var chosen = RiskControl.Choose([0.9, 0.7, 0.5], calibration, maxError: 0.05, confidence: 0.95);

        Assert.Equal(0.7, chosen.Threshold);
        Assert.Equal((600, 6), (chosen.Covered, chosen.Errors));
        Assert.InRange(chosen.ErrorUpperBound, 0.01, 0.05);
        Assert.StartsWith("certified at 0.7: 600 of 900", chosen.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_StopsAtTheFirstFailure_EvenWhenALaterThresholdWouldPass()
    {
        // Fixed sequence: a failure ends the walk, which is what keeps the guarantee without a correction.
        var calibration = Cases(200, 0.9, 20).Concat(Cases(5000, 0.5, 0)).ToList();

        var chosen = RiskControl.Choose([0.9, 0.5], calibration, 0.02, 0.95);

        Assert.Null(chosen.Threshold);
        Assert.StartsWith("no threshold certified: at the strictest testable one (0.9), 20 of 200", chosen.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_WithTooFewDecisions_StaysOff_AndSaysWhy()
    {
        var chosen = RiskControl.Choose([0.9], Cases(100, 0.95, 0).ToList(), 0.02, 0.95);

        Assert.Null(chosen.Threshold);
        Assert.Equal("too few decisions to certify anything: 100 in the calibration sample, at least 149 needed for an error of at most 2.0 % with 95 % confidence", chosen.Reason);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Choose_RefusesAnErrorBoundOutside0To05(double maxError) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RiskControl.Choose([0.5], Cases(500, 0.9, 0).ToList(), maxError, 0.95));

    [Fact]
    public void Choose_RefusesThresholdsOrScoresThatAreNotNumbers()
    {
        Assert.Throws<ArgumentException>(() => RiskControl.Choose([double.NaN, 0.5], Cases(500, 0.9, 0).ToList(), 0.02, 0.95));
        Assert.Throws<ArgumentException>(() => RiskControl.Choose([0.5], [.. Cases(500, 0.9, 0), new Calibrated(double.NaN, false)], 0.02, 0.95));
    }

    [Fact]
    public void Choose_RefusesCandidatesThatAreNotStrictestFirst() =>
        Assert.Throws<ArgumentException>(() => RiskControl.Choose([0.5, 0.9], Cases(500, 0.9, 0).ToList(), 0.02, 0.95));

    [Fact]
    public void Grid_StartsWhereTheCalibrationSampleCouldCertify_AndEndsCoveringEverything()
    {
        var reference = Enumerable.Range(0, 1000).Select(i => i / 1000.0).ToList();

        var grid = RiskControl.Grid(reference, calibrationSize: 2000, maxError: 0.02, confidence: 0.95, steps: 10);

        // 149 of 2,000 is 7.45 %: the strictest candidate leaves the top 75 of the 1,000 reference scores above it.
        Assert.Equal(0.925, grid[0], 3);
        Assert.Equal(0.0, grid[^1]);
        Assert.True(grid.Zip(grid.Skip(1)).All(p => p.First > p.Second));
        Assert.Empty(RiskControl.Grid(reference, calibrationSize: 100, maxError: 0.02, confidence: 0.95));
    }

    [Fact]
    public void Choose_PassesOverThresholdsTooStrictToTest_WithoutEndingTheWalk()
    {
        // 0.95 has 50 cases above it, too few to show anything at 2 %; the walk goes on to 0.8.
        var calibration = Cases(50, 0.95, 0).Concat(Cases(450, 0.8, 1)).ToList();

        var chosen = RiskControl.Choose([0.95, 0.8], calibration, 0.02, 0.95);

        Assert.Equal(0.8, chosen.Threshold);
    }

    [Theory]
    [InlineData(0.02, 0.95, 2000, false)]
    [InlineData(0.01, 0.9, 5000, false)]
    [InlineData(0.05, 0.95, 800, false)]
    [InlineData(0.02, 0.95, 2000, true)]
    [InlineData(0.01, 0.9, 5000, true)]
    [InlineData(0.05, 0.95, 800, true)]
    public void TheGuarantee_HoldsInRepeatedDraws_WhereTheNaiveRuleBreaksIt(double maxError, double confidence, int n, bool powerfulStart)
    {
        int? start = powerfulStart ? RiskControl.StartCovered(n, maxError, confidence) : null;
        // Scores uniform on [0, 1]; a case at score s is an error with probability a(1 − s)³, so the true error rate
        // among cases scoring ≥ λ is a(1 − λ)³/4, and the best threshold covers c* = (4α/a)^(1/3). Each draw: a reference
        // sample fixes the grid, a calibration sample chooses the threshold; we count draws whose chosen threshold's true
        // error exceeds the bound.
        const double a = 0.5;
        const int draws = 1000;
        var random = new Random(4242);
        int broken = 0, naiveBroken = 0, certified = 0;
        double coverage = 0;
        for (var draw = 0; draw < draws; draw++)
        {
            var grid = RiskControl.Grid(Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToList(), n, maxError, confidence, startCovered: start);
            var calibration = Enumerable.Range(0, n).Select(_ =>
            {
                var s = random.NextDouble();
                return new Calibrated(s, random.NextDouble() < a * Math.Pow(1 - s, 3));
            }).ToList();

            var chosen = RiskControl.Choose(grid, calibration, maxError, confidence, start);
            if (chosen.Threshold is { } threshold)
            {
                certified++;
                coverage += 1 - threshold;
                broken += TrueError(threshold) > maxError ? 1 : 0;
            }

            // The naive rule: the most lenient grid threshold whose observed error is within the bound.
            var sorted = calibration.OrderByDescending(c => c.Score).ToArray();
            double naive = double.NaN;
            int covered = 0, errors = 0;
            foreach (var l in grid)
            {
                for (; covered < sorted.Length && sorted[covered].Score >= l; covered++)
                {
                    errors += sorted[covered].Error ? 1 : 0;
                }

                naive = covered > 0 && errors <= maxError * covered ? l : naive;
            }

            naiveBroken += !double.IsNaN(naive) && TrueError(naive) > maxError ? 1 : 0;
        }

        TestContext.Current.SendDiagnosticMessage($"broken {broken}, naive {naiveBroken}, certified {certified}, coverage {coverage / certified:0.###} of {Math.Cbrt(4 * maxError / a):0.###}");

        var optimum = Math.Cbrt(4 * maxError / a);
        Assert.InRange((double)broken / draws, 0, 1 - confidence);
        Assert.True(naiveBroken > 3 * broken + 100, $"naive {naiveBroken}, certified {broken}");
        // And it is not vacuous: it certifies in almost every draw, at a useful share of the best possible coverage.
        Assert.InRange(certified, draws * 0.95, draws);
        Assert.InRange(coverage / certified, optimum * 0.6, optimum);

        static double TrueError(double threshold) => a * Math.Pow(1 - threshold, 3) / 4;
    }

    [Fact]
    public void PowerfulCovered_IsWhereHalfTheBoundPasses()
    {
        Assert.Equal(386, RiskControl.PowerfulCovered(0.02, 0.95));
        Assert.Equal(149, RiskControl.StartCovered(200, 0.02, 0.95));
        Assert.Equal(250, RiskControl.StartCovered(500, 0.02, 0.95));
        Assert.Equal(386, RiskControl.StartCovered(5000, 0.02, 0.95));
    }

    [Fact]
    public void APowerfulStart_CertifiesAnAgentThatErrsRarelyEverywhere_WhereTheBareWalkStopsAtItsFirstError()
    {
        // Errors at 0.4 % whatever the score, as an overconfident classifier's are: the strictest testable threshold
        // of the bare walk (149 cases) meets an error almost half the time and ends the walk there.
        var random = new Random(11);
        int bare = 0, powerful = 0;
        for (var draw = 0; draw < 200; draw++)
        {
            var calibration = Enumerable.Range(0, 2000).Select(_ => new Calibrated(random.NextDouble(), random.NextDouble() < 0.004)).ToList();
            var reference = Enumerable.Range(0, 2000).Select(_ => random.NextDouble()).ToList();
            var start = RiskControl.StartCovered(calibration.Count, 0.02, 0.95);
            bare += RiskControl.Choose(RiskControl.Grid(reference, 2000, 0.02, 0.95), calibration, 0.02, 0.95).Threshold is not null ? 1 : 0;
            powerful += RiskControl.Choose(RiskControl.Grid(reference, 2000, 0.02, 0.95, startCovered: start), calibration, 0.02, 0.95, start).Threshold is not null ? 1 : 0;
        }

        Assert.True(powerful > 170, $"powerful start certified {powerful} of 200");
        Assert.True(bare < 130, $"bare walk certified {bare} of 200");
    }

    private static IEnumerable<Calibrated> Cases(int count, double score, int errors) =>
        Enumerable.Range(0, count).Select(i => new Calibrated(score, i < errors));
}
