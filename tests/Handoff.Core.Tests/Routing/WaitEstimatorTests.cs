using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

public sealed class WaitEstimatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 14, 0, 0, TimeSpan.Zero);

    /// <summary>A pick-up accepted <paramref name="minutesAgo"/> before now after waiting <paramref name="waitedMinutes"/>.</summary>
    private static PickUp Picked(double waitedMinutes, int minutesAgo = 10, Priority priority = Priority.High, string team = "billing") =>
        new(team, priority, Now.AddMinutes(-minutesAgo - waitedMinutes), Now.AddMinutes(-minutesAgo));

    [Fact]
    public void Estimate_WithEnoughAtTheTeamAndPriority_IsTheirMedian()
    {
        PickUp[] recent = [Picked(2), Picked(9), Picked(3), Picked(4), Picked(1, priority: Priority.Low), Picked(30, team: "legal")];

        var estimate = WaitEstimator.Estimate(recent, "billing", Priority.High, Now);

        // Nearest rank of 2, 3, 4, 9: the 2nd.
        Assert.Equal(new WaitEstimate(TimeSpan.FromMinutes(3), WaitBasis.TeamAndPriority, 4,
            "median of 4 pick-ups at team billing, priority high, in the last 2 h"), estimate);
    }

    [Fact]
    public void Estimate_WithTooFewAtThePriority_FallsBackToTheTeam()
    {
        PickUp[] recent = [Picked(2), Picked(6, priority: Priority.Low), Picked(8, priority: Priority.Normal), Picked(7, priority: Priority.Urgent)];

        var estimate = WaitEstimator.Estimate(recent, "billing", Priority.High, Now);

        Assert.Equal(TimeSpan.FromMinutes(6), estimate.Expected);
        Assert.Equal(WaitBasis.Team, estimate.Basis);
        Assert.Equal("median of 4 pick-ups at team billing across priorities (too few at priority high), in the last 2 h", estimate.Explanation);
    }

    [Fact]
    public void Estimate_WithTooFewAtTheTeam_SaysItIsTheDefault()
    {
        var options = new WaitEstimateOptions { Fallback = TimeSpan.FromMinutes(10) };

        var none = WaitEstimator.Estimate([Picked(2, minutesAgo: 121), Picked(2, team: "legal")], "billing", Priority.High, Now, options: options);
        var few = WaitEstimator.Estimate([Picked(2), Picked(3)], "billing", Priority.High, Now, options: options);

        Assert.Equal(new WaitEstimate(TimeSpan.FromMinutes(10), WaitBasis.Default, 0, "no pick-ups at team billing in the last 2 h; the default estimate of 10 min"), none);
        Assert.Equal("only 2 pick-ups at team billing in the last 2 h; the default estimate of 10 min", few.Explanation);
    }

    [Fact]
    public void Estimate_UsesOnlyTheLatestSamplesWithinTheWindow()
    {
        PickUp[] recent = [Picked(50, minutesAgo: 5), Picked(1, minutesAgo: 50), Picked(1, minutesAgo: 40), Picked(60, minutesAgo: 1), Picked(55, minutesAgo: 3), Picked(1, minutesAgo: 200)];
        var options = new WaitEstimateOptions { MaxSamples = 3, Window = TimeSpan.FromHours(1) };

        var estimate = WaitEstimator.Estimate(recent, "billing", Priority.High, Now, options: options);

        Assert.Equal((TimeSpan.FromMinutes(55), 3), (estimate.Expected, estimate.Samples));
        Assert.EndsWith("in the last 1 h", estimate.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_WithALongQueueAhead_UsesTheTeamsPace()
    {
        // Twelve pick-ups in two hours is one every 10 minutes; with 5 cases ahead this one is taken in about an hour.
        var recent = Enumerable.Range(0, 12).Select(i => Picked(3, minutesAgo: i * 10)).ToArray();

        var shortQueue = WaitEstimator.Estimate(recent, "billing", Priority.High, Now, casesAhead: 0);
        var longQueue = WaitEstimator.Estimate(recent, "billing", Priority.High, Now, casesAhead: 5);

        Assert.Equal((TimeSpan.FromMinutes(3), WaitBasis.TeamAndPriority), (shortQueue.Expected, shortQueue.Basis));
        Assert.Equal((TimeSpan.FromHours(1), WaitBasis.QueuePace), (longQueue.Expected, longQueue.Basis));
        Assert.Equal("5 cases ahead at team billing's pace of 12 pick-ups in the last 2 h (longer than the median of 12 pick-ups at team billing, priority high, in the last 2 h: 3 min)", longQueue.Explanation);
    }

    [Fact]
    public void Estimate_InvalidOptions_Throw() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WaitEstimator.Estimate([], "billing", Priority.High, Now, options: new WaitEstimateOptions { MinSamples = 0 }));

    [Theory]
    [InlineData(30, "30 s")]
    [InlineData(90, "2 min")]
    [InlineData(7200, "2 h")]
    [InlineData(6180, "1 h 43 min")]
    public void Format_SaysDurationsAsPeopleDo(int seconds, string expected) =>
        Assert.Equal(expected, WaitEstimator.Format(TimeSpan.FromSeconds(seconds)));
}
