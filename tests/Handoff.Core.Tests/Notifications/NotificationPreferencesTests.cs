using Handoff.Core.Notifications;

namespace Handoff.Core.Tests.Notifications;

public sealed class NotificationPreferencesTests
{
    private static readonly NotificationPreferences Berlin = new() { TimeZone = "Europe/Berlin", QuietHours = new QuietHours(new(20, 0), new(8, 0)) };

    [Theory]
    // Winter (UTC+1): 18:59 UTC is 19:59 local, before the quiet hours; 19:00 UTC is 20:00 local, quiet until 08:00 local = 07:00 UTC.
    [InlineData("2026-01-14T18:59:00Z", "2026-01-14T18:59:00Z")]
    [InlineData("2026-01-14T19:00:00Z", "2026-01-15T07:00:00Z")]
    [InlineData("2026-01-15T03:00:00Z", "2026-01-15T07:00:00Z")]
    [InlineData("2026-01-15T07:00:00Z", "2026-01-15T07:00:00Z")]
    // The night the clocks go forward (29 March 2026, 02:00 → 03:00): quiet from 19:00 UTC (20:00 CET) until 08:00 CEST = 06:00 UTC.
    [InlineData("2026-03-28T22:00:00Z", "2026-03-29T06:00:00Z")]
    // The night they go back (25 October 2026): until 08:00 CET = 07:00 UTC.
    [InlineData("2026-10-24T21:00:00Z", "2026-10-25T07:00:00Z")]
    public void SendableAt_InsideOvernightQuietHours_IsTheirLocalEnd_AcrossDstChanges(string at, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Berlin.SendableAt(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void SendableAt_InsideQuietHoursWithinADay_IsTheirEnd_AndWithoutQuietHoursIsNow()
    {
        var lunch = new NotificationPreferences { QuietHours = new QuietHours(new(12, 0), new(13, 0)) };
        var noon = new DateTimeOffset(2026, 5, 4, 12, 30, 0, TimeSpan.Zero);

        Assert.Equal(noon.AddMinutes(30), lunch.SendableAt(noon));
        Assert.Equal(noon.AddHours(1), lunch.SendableAt(noon.AddHours(1)));
        Assert.Equal(noon, NotificationPreferences.Default.SendableAt(noon));
    }

    [Fact]
    public void DigestDue_IsOnAndPastItsLocalTime()
    {
        var digest = Berlin with { Digest = true, DigestAt = new(8, 0) };
        var at = new DateTimeOffset(2026, 7, 1, 5, 59, 0, TimeSpan.Zero);

        Assert.False(digest.DigestDue(at));
        Assert.True(digest.DigestDue(at.AddMinutes(1)));
        Assert.False((digest with { Digest = false }).DigestDue(at.AddHours(1)));
        Assert.Equal(new DateOnly(2026, 7, 1), digest.LocalDate(at));
        Assert.Equal(new DateOnly(2026, 7, 2), digest.LocalDate(new DateTimeOffset(2026, 7, 1, 22, 30, 0, TimeSpan.Zero)));
    }
}
