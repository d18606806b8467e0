using Handoff.Core.Notifications.Webhooks;

namespace Handoff.Core.Tests.Notifications.Webhooks;

public sealed class WebhookRetryTests
{
    /// <summary>A source of "randomness" that always gives <paramref name="value"/>, to pin the jitter.</summary>
    private sealed class Fixed(double value) : Random
    {
        public override double NextDouble() => value;
    }

    private static readonly Random NoJitter = new Fixed(0.5);

    [Theory]
    [InlineData(200, WebhookAnswer.Delivered)]
    [InlineData(202, WebhookAnswer.Delivered)]
    [InlineData(204, WebhookAnswer.Delivered)]
    [InlineData(299, WebhookAnswer.Delivered)]
    [InlineData(100, WebhookAnswer.Failed)]
    [InlineData(301, WebhookAnswer.Failed)]
    [InlineData(302, WebhookAnswer.Failed)]
    [InlineData(307, WebhookAnswer.Failed)]
    [InlineData(308, WebhookAnswer.Failed)]
    [InlineData(400, WebhookAnswer.Failed)]
    [InlineData(401, WebhookAnswer.Failed)]
    [InlineData(404, WebhookAnswer.Failed)]
    [InlineData(409, WebhookAnswer.Failed)]
    [InlineData(410, WebhookAnswer.Gone)]
    [InlineData(429, WebhookAnswer.Throttled)]
    [InlineData(500, WebhookAnswer.Failed)]
    [InlineData(501, WebhookAnswer.Failed)]
    [InlineData(502, WebhookAnswer.Throttled)]
    [InlineData(503, WebhookAnswer.Throttled)]
    [InlineData(504, WebhookAnswer.Throttled)]
    [InlineData(null, WebhookAnswer.Failed)]
    public void Classify_ReadsStatusesAsStandardWebhooksDoes(int? status, WebhookAnswer answer)
    {
        Assert.Equal(answer, WebhookRetry.Classify(status));
    }

    [Fact]
    public void Next_WithoutJitter_FollowsTheScheduleForEightAttempts_ThenGivesUp()
    {
        var delays = Enumerable.Range(1, 8).Select(made => WebhookRetry.Next(made, 500, null, NoJitter)).ToArray();

        Assert.Equal(
            [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
             TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10), null],
            delays);
        Assert.Equal(8, WebhookRetry.MaxAttempts);
        // The spec's table: the last attempt 27 h 35 min 5 s after the first.
        Assert.Equal(new TimeSpan(1, 3, 35, 5), TimeSpan.FromTicks(delays.Sum(d => d?.Ticks ?? 0)));
    }

    [Fact]
    public void Next_WithoutAnAnswer_RetriesOnTheSchedule()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), WebhookRetry.Next(3, null, null, NoJitter));
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.25, 0.9)]
    [InlineData(0.75, 1.1)]
    public void Next_MovesTheDelayByUpToTwentyPercentEitherWay(double random, double factor)
    {
        Assert.Equal(TimeSpan.FromMinutes(5) * factor, WebhookRetry.Next(2, 503, null, new Fixed(random)));
    }

    [Fact]
    public void Next_WithARealRandom_StaysWithinTheJitterAndVaries()
    {
        var random = new Random(14);
        var delays = Enumerable.Range(0, 200).Select(_ => WebhookRetry.Next(4, 500, null, random)!.Value).ToArray();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromHours(2) * 0.8, TimeSpan.FromHours(2) * 1.2));
        Assert.True(delays.Distinct().Count() > 100);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(410)]
    public void Next_AfterSuccessOrGone_IsNone(int status)
    {
        Assert.Null(WebhookRetry.Next(1, status, TimeSpan.FromSeconds(30), NoJitter));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Next_WhenThrottledWithALongerRetryAfter_WaitsThatLong(int status)
    {
        Assert.Equal(TimeSpan.FromMinutes(2), WebhookRetry.Next(1, status, TimeSpan.FromMinutes(2), NoJitter));
    }

    [Fact]
    public void Next_WhenThrottledWithAShorterRetryAfter_KeepsTheSchedule()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), WebhookRetry.Next(2, 429, TimeSpan.FromSeconds(10), NoJitter));
        Assert.Equal(TimeSpan.FromMinutes(5), WebhookRetry.Next(2, 429, TimeSpan.FromSeconds(-10), NoJitter));
    }

    [Fact]
    public void Next_WhenThrottledWithARetryAfterBeyondADay_WaitsADay()
    {
        Assert.Equal(TimeSpan.FromHours(24), WebhookRetry.Next(1, 503, TimeSpan.FromDays(3), NoJitter));
    }

    [Fact]
    public void Next_AfterTheLastAttempt_IsNoneEvenWhenTheReceiverAskedToWait()
    {
        Assert.Null(WebhookRetry.Next(8, 429, TimeSpan.FromMinutes(1), NoJitter));
        Assert.Null(WebhookRetry.Next(9, 500, null, NoJitter));
    }

    [Fact]
    public void Next_ForAFailureThatIsNotThrottling_IgnoresRetryAfter()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), WebhookRetry.Next(1, 500, TimeSpan.FromHours(1), NoJitter));
        Assert.Equal(TimeSpan.FromSeconds(5), WebhookRetry.Next(1, null, TimeSpan.FromHours(1), NoJitter));
    }

    [Fact]
    public void Next_BeforeAnyAttempt_IsAMistake()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WebhookRetry.Next(0, 500, null, NoJitter));
    }
}
