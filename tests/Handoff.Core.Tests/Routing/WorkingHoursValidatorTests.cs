using Handoff.Core.Routing;
using static Handoff.Core.Tests.Routing.Schedules;

namespace Handoff.Core.Tests.Routing;

public sealed class WorkingHoursValidatorTests
{
    [Fact]
    public void Validate_OfficeHours_HasNoProblems() =>
        Assert.Empty(WorkingHoursValidator.Validate(OfficeHours("Europe/Berlin", new DateOnly(2026, 12, 25))));

    [Fact]
    public void Validate_EmptyWeekAndOpeningsToMidnight_AreValid()
    {
        Assert.Empty(WorkingHoursValidator.Validate(Hours("America/New_York", [])));
        Assert.Empty(WorkingHoursValidator.Validate(Hours("America/New_York", Every("00:00", "00:00"))));
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("")]
    public void Validate_UnknownZone_NamesTimeZone(string zone)
    {
        var problem = Assert.Single(WorkingHoursValidator.Validate(Hours(zone, [])));

        Assert.Equal("timeZone", problem.Field);
    }

    [Theory]
    [InlineData("17:00", "09:00")]
    [InlineData("09:00", "09:00")]
    public void Validate_ClosesNotAfterOpens_NamesCloses(string opens, string closes)
    {
        var problem = Assert.Single(WorkingHoursValidator.Validate(Hours("Europe/Berlin", [.. Each([DayOfWeek.Monday, DayOfWeek.Tuesday], "09:00", "17:00"), .. Each([DayOfWeek.Wednesday], opens, closes)])));

        Assert.Equal("week[2].closes", problem.Field);
        Assert.Contains(opens, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OverlappingOpenings_NamesTheLaterOneAndTheOneItOverlaps()
    {
        var week = new[]
        {
            new WeeklyHours(DayOfWeek.Monday, new TimeOnly(13, 0), new TimeOnly(0, 0)),
            new WeeklyHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(13, 30)),
            new WeeklyHours(DayOfWeek.Tuesday, new TimeOnly(13, 0), new TimeOnly(14, 0)),
        };

        var problem = Assert.Single(WorkingHoursValidator.Validate(Hours("Europe/Berlin", week)));

        Assert.Equal("week[0]", problem.Field);
        Assert.Equal("Monday 13:00–00:00 overlaps week[1] (Monday 09:00–13:30).", problem.Message);
    }

    [Fact]
    public void Validate_TouchingOpenings_AreValid() =>
        Assert.Empty(WorkingHoursValidator.Validate(Hours("Europe/Berlin", [.. Each([DayOfWeek.Monday], "09:00", "12:00"), .. Each([DayOfWeek.Monday], "12:00", "00:00")])));

    [Fact]
    public void Validate_WithPrefix_RootsTheFields()
    {
        var problems = WorkingHoursValidator.Validate(new WorkingHours("Nowhere", [new WeeklyHours((DayOfWeek)9, default, default)], null!), "workingHours");

        Assert.Equal(["workingHours.timeZone", "workingHours.week[0].day", "workingHours.closures"], problems.Select(p => p.Field));
    }

    [Fact]
    public void Validate_NullOpening_NamesIt()
    {
        var problem = Assert.Single(WorkingHoursValidator.Validate(Hours("UTC", [null!])));

        Assert.Equal("week[0]", problem.Field);
    }

    [Fact]
    public void Validate_AWindowsZoneId_AsksForTheIanaOne()
    {
        var problem = Assert.Single(WorkingHoursValidator.Validate(Hours("W. Europe Standard Time", [])));

        Assert.Equal("timeZone", problem.Field);
        Assert.Equal("'W. Europe Standard Time' is a Windows time zone id; use its IANA id ('Europe/Berlin').", problem.Message);
    }
}
