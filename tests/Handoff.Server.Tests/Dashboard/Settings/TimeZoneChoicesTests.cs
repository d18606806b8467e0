using Handoff.Server.Dashboard.Settings;

namespace Handoff.Server.Tests.Dashboard.Settings;

public sealed class TimeZoneChoicesTests
{
    [Theory]
    [InlineData("Europe/Berlin", "2026-01-15", "Europe/Berlin (UTC+01:00)")]
    [InlineData("Europe/Berlin", "2026-07-15", "Europe/Berlin (UTC+02:00)")]
    [InlineData("America/St_Johns", "2026-01-15", "America/St Johns (UTC-03:30)")]
    [InlineData("Asia/Kolkata", "2026-01-15", "Asia/Kolkata (UTC+05:30)")]
    [InlineData("UTC", "2026-01-15", "UTC (UTC+00:00)")]
    public void Label_NamesTheZoneAndItsOffsetThatDay(string id, string day, string label) =>
        Assert.Equal(label, TimeZoneChoices.Label(TimeZoneInfo.FindSystemTimeZoneById(id), DateTimeOffset.Parse(day + "T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("America/Argentina/Buenos_Aires", "America")]
    [InlineData("Europe/Berlin", "Europe")]
    [InlineData("UTC", "Other")]
    public void Region_IsThePartBeforeTheFirstSlash(string id, string region) => Assert.Equal(region, TimeZoneChoices.Region(id));

    [Fact]
    public void OfThisServer_ListsIanaZonesByRegion_AndKnowsOnlyThose()
    {
        var zones = TimeZoneChoices.OfThisServer;

        Assert.Contains(zones.Zones, z => z.Id == "Europe/Berlin");
        Assert.All(zones.Zones, z => Assert.True(z.HasIanaId, z.Id));
        var regions = zones.Zones.Select(z => TimeZoneChoices.Region(z.Id)).ToList();
        // Each region's zones stand together, as the select's groups need.
        Assert.Equal(regions.Distinct().Count(), regions.Where((r, i) => i == 0 || regions[i - 1] != r).Count());
        Assert.True(zones.IsKnown("Europe/Berlin"));
        Assert.False(zones.IsKnown("Mars/Olympus_Mons"));
        Assert.False(zones.IsKnown(null));
    }
}
