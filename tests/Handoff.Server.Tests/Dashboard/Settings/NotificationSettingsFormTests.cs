using CsCheck;
using Handoff.Core.Notifications;
using Handoff.Server.Dashboard.Settings;

namespace Handoff.Server.Tests.Dashboard.Settings;

public sealed class NotificationSettingsFormTests
{
    private static readonly TimeZoneChoices Zones = TimeZoneChoices.OfThisServer;

    [Fact]
    public void From_StoredPreferences_ValidatesBackToTheSamePreferences()
    {
        var stored = new NotificationPreferences
        {
            Email = false,
            TimeZone = "Europe/Berlin",
            QuietHours = new QuietHours(new(22, 0), new(6, 30)),
            Digest = true,
            DigestAt = new(7, 15),
        };

        var (preferences, problems) = NotificationSettingsForm.From(stored, fallbackZone: "America/New_York").Validate(Zones);

        Assert.Empty(problems);
        Assert.Equal(stored, preferences);
    }

    [Theory]
    [InlineData("America/New_York", "America/New_York")]
    [InlineData(null, "UTC")]
    public void From_NoZoneStored_StartsFromTheBrowsersZone_OrUtc(string? browser, string shown) =>
        Assert.Equal(shown, NotificationSettingsForm.From(NotificationPreferences.Default, browser).TimeZone);

    [Fact]
    public void Validate_QuietHoursEndingWhenTheyStart_NamesTheEndField_AndGivesNoPreferences()
    {
        var form = new NotificationSettingsForm { TimeZone = "UTC", Quiet = true, QuietFrom = "22:00", QuietTo = "22:00" };

        var (preferences, problems) = form.Validate(Zones);

        Assert.Null(preferences);
        Assert.Equal("Quiet hours must end at another time than they start.", Assert.Single(problems, p => p.Key == NotificationSettingsForm.QuietToField).Value);
        Assert.Single(problems);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("../../etc/passwd")]
    [InlineData("Europe/")]
    public void Validate_AZoneThisServerCannotRead_NamesTheZoneField(string zone)
    {
        var (preferences, problems) = new NotificationSettingsForm { TimeZone = zone }.Validate(Zones);

        Assert.Null(preferences);
        Assert.Equal([NotificationSettingsForm.TimeZoneField], problems.Keys);
    }

    [Fact]
    public void Validate_AWindowsZoneName_IsNotAnIanaZone()
    {
        var (preferences, problems) = new NotificationSettingsForm { TimeZone = "W. Europe Standard Time" }.Validate(Zones);

        Assert.Null(preferences);
        Assert.True(problems.ContainsKey(NotificationSettingsForm.TimeZoneField));
    }

    [Theory]
    [InlineData("")]
    [InlineData("25:00")]
    [InlineData("7")]
    [InlineData("ab:cd")]
    [InlineData(null)]
    public void Validate_UnfinishedTimes_NameEachOfTheirFields(string? time)
    {
        var form = new NotificationSettingsForm { TimeZone = "UTC", Quiet = true, QuietFrom = time!, QuietTo = time!, Digest = true, DigestAt = time! };

        var (preferences, problems) = form.Validate(Zones);

        Assert.Null(preferences);
        Assert.Equal(
            [NotificationSettingsForm.DigestAtField, NotificationSettingsForm.QuietFromField, NotificationSettingsForm.QuietToField],
            problems.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_SwitchesOff_IgnoreTheirFields_AndKeepTheDefaultDigestTime()
    {
        var form = new NotificationSettingsForm { TimeZone = "Asia/Kolkata", Quiet = false, QuietFrom = "", QuietTo = "x", Digest = false, DigestAt = "" };

        var (preferences, problems) = form.Validate(Zones);

        Assert.Empty(problems);
        Assert.Equal(new NotificationPreferences { TimeZone = "Asia/Kolkata" }, preferences);
    }

    [Fact]
    public void Validate_WhateverIsTyped_NeverThrows_AndGivesPreferencesOrProblems()
    {
        var text = Gen.OneOf(Gen.String, Gen.Const("21:00"), Gen.Const("07:30"), Gen.Const("Europe/Berlin"), Gen.Const("24:00"), Gen.Const("00:00:00.000"));
        Gen.Select(text, text, text, text, Gen.Bool, Gen.Bool).Sample(t =>
        {
            var form = new NotificationSettingsForm { TimeZone = t.Item1, QuietFrom = t.Item2, QuietTo = t.Item3, DigestAt = t.Item4, Quiet = t.Item5, Digest = t.Item6 };
            var (preferences, problems) = form.Validate(Zones);
            Assert.True(preferences is null != (problems.Count == 0));
            if (preferences?.QuietHours is { } quiet)
            {
                Assert.NotEqual(quiet.From, quiet.To);
            }
        });
    }
}
