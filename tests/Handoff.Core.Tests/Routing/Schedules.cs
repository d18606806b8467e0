using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

/// <summary>Working hours and instants written the way people state them: local times in a named zone.</summary>
internal static class Schedules
{
    public static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public static WorkingHours Hours(string zone, IEnumerable<WeeklyHours> week, params DateOnly[] closures) =>
        new(zone, [.. week], closures);

    public static IEnumerable<WeeklyHours> Each(IEnumerable<DayOfWeek> days, string opens, string closes) =>
        days.Select(day => new WeeklyHours(day, TimeOnly.Parse(opens, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(closes, System.Globalization.CultureInfo.InvariantCulture)));

    public static IEnumerable<WeeklyHours> Every(string opens, string closes) => Each(Enum.GetValues<DayOfWeek>(), opens, closes);

    public static WorkingHours OfficeHours(string zone, params DateOnly[] closures) => Hours(zone, Each(Weekdays, "09:00", "17:00"), closures);

    /// <summary>The instant at which the clocks in <paramref name="zone"/> show this local time (the first time, if twice).</summary>
    public static DateTimeOffset At(string zone, int year, int month, int day, int hour, int minute = 0)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        Assert.False(tz.IsInvalidTime(local), $"{local} does not exist in {zone}");
        var offset = tz.IsAmbiguousTime(local) ? tz.GetAmbiguousTimeOffsets(local).Max() : tz.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
