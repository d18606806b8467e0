using Handoff.Server.Dashboard.Shared;

namespace Handoff.Server.Tests.Dashboard.Shared;

public sealed class ShowTests
{
    [Theory]
    [InlineData(0.748, "0.74")]
    [InlineData(0.75, "0.75")]
    [InlineData(0.29, "0.29")]
    [InlineData(0.57, "0.57")]
    [InlineData(0.999, "0.99")]
    [InlineData(1.0, "1.00")]
    [InlineData(0.0, "0.00")]
    [InlineData(null, "none")]
    public void Confidence_IsCutToTwoDecimals_SoItNeverReachesAFloorItIsBelow(double? confidence, string shown) =>
        Assert.Equal(shown, Show.Confidence(confidence));
}
