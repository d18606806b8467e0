using System.Text.Json;
using Handoff.Server.Api;

namespace Handoff.Server.Tests.Api;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("\"90\"", 90)]
    [InlineData("\"90s\"", 90)]
    [InlineData("\"15m\"", 900)]
    [InlineData("\"1.5h\"", 5400)]
    [InlineData("\"2d\"", 172800)]
    [InlineData("\"00:15:00\"", 900)]
    public void TryParse_ReadsSecondsUnitsAndClockTimes(string json, int seconds)
    {
        Assert.True(Durations.TryParse(JsonElement.Parse(json), out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("\"soon\"")]
    [InlineData("\"366d\"")]
    [InlineData("\"1e300s\"")]
    [InlineData("\"NaNs\"")]
    [InlineData("\"-5m\"")]
    [InlineData("true")]
    public void TryParse_RefusesWhatIsNotAPositiveDurationUpToAYear(string json) =>
        Assert.False(Durations.TryParse(JsonElement.Parse(json), out _));
}
