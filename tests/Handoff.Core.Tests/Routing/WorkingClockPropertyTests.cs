using CsCheck;
using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

/// <summary>
/// The working-hours clock over random schedules in zones with DST (Lord Howe moves by half an hour), starting anywhere
/// in 2026 so that every change of the year is crossed.
/// </summary>
public sealed class WorkingClockPropertyTests
{
    private static readonly string[] Zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"];
    private static readonly DateTimeOffset YearStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Up to two openings a day on a quarter-hour grid, built from sorted cut points so they never overlap.</summary>
    private static readonly Gen<WeeklyHours[]> GenDay =
        Gen.Select(Gen.Int[0, 6], Gen.Int[0, 96].Array[4], static (day, points) =>
        {
            var cuts = points.Distinct().Order().ToArray();
            var openings = new List<WeeklyHours>();
            for (var i = 0; i + 1 < cuts.Length && openings.Count < 2; i += 2)
            {
                openings.Add(new WeeklyHours((DayOfWeek)day, Quarter(cuts[i]), Quarter(cuts[i + 1])));
            }

            return openings.ToArray();
        });

    private static readonly Gen<WorkingHours> GenHours =
        Gen.Select(Gen.Int[0, Zones.Length - 1].Select(i => Zones[i]), GenDay.Array[0, 7], Gen.Int[0, 364].Array[0, 20], static (zone, days, closures) =>
        {
            // Two generated days may be the same weekday; keep the first, as a team edits one day at a time.
            var week = days.GroupBy(d => d.FirstOrDefault()?.Day).Where(g => g.Key is not null).SelectMany(g => g.First()).ToArray();
            return new WorkingHours(zone, week, [.. closures.Select(d => DateOnly.FromDateTime(YearStart.UtcDateTime).AddDays(d))]);
        });

    private static readonly Gen<DateTimeOffset> GenInstant = Gen.Int[0, 365 * 24 * 60].Select(m => YearStart.AddMinutes(m));
    private static readonly Gen<TimeSpan> GenDuration = Gen.Int[0, 7 * 24 * 60].Select(m => TimeSpan.FromMinutes(m));

    [Fact]
    public void GeneratedHours_AreValid() =>
        GenHours.Sample(hours => Assert.Empty(WorkingHoursValidator.Validate(hours)), iter: 300);

    [Fact]
    public void WorkingTimeBetween_StartAndDueAt_IsTheDuration() =>
        Gen.Select(GenHours, GenInstant, GenDuration).Sample((hours, start, duration) =>
        {
            var clock = WorkingClock.For(hours);
            var due = clock.DueAt(start, duration);
            Assert.Equal(hours.Week.Count == 0 && duration > TimeSpan.Zero, due is null);
            if (due is { } at)
            {
                Assert.Equal(duration, clock.WorkingTimeBetween(start, at));
                Assert.True(at >= start);
                if (duration > TimeSpan.Zero)
                {
                    Assert.True(clock.IsOpen(at.AddTicks(-1)), "due in closed time");
                }
            }
        }, iter: 400);

    [Fact]
    public void DueAt_IsMonotoneInTheDuration() =>
        Gen.Select(GenHours, GenInstant, GenDuration, GenDuration).Sample((hours, start, a, b) =>
        {
            var clock = WorkingClock.For(hours);
            var (shorter, longer) = a <= b ? (a, b) : (b, a);
            if (clock.DueAt(start, longer) is { } late)
            {
                Assert.True(clock.DueAt(start, shorter) <= late);
            }
        }, iter: 400);

    [Fact]
    public void WorkingTimeBetween_AddsUpOverASplit() =>
        Gen.Select(GenHours, GenInstant, GenDuration, GenDuration).Sample((hours, start, first, second) =>
        {
            var clock = WorkingClock.For(hours);
            var middle = start + first;
            var end = middle + second;
            Assert.Equal(clock.WorkingTimeBetween(start, end), clock.WorkingTimeBetween(start, middle) + clock.WorkingTimeBetween(middle, end));
        }, iter: 400);

    [Fact]
    public void NextOpening_IsOpenAndNoWorkingTimeComesBeforeIt() =>
        Gen.Select(GenHours, GenInstant).Sample((hours, at) =>
        {
            var clock = WorkingClock.For(hours);
            var next = clock.NextOpening(at);
            Assert.Equal(hours.Week.Count == 0, next is null);
            if (next is { } opening)
            {
                Assert.True(opening >= at);
                Assert.True(clock.IsOpen(opening));
                Assert.Equal(TimeSpan.Zero, clock.WorkingTimeBetween(at, opening));
                Assert.Equal(opening == at, clock.IsOpen(at));
            }
        }, iter: 400);

    [Fact]
    public void IsOpen_AwayFromClockChanges_AgreesWithReadingTheLocalClock() =>
        Gen.Select(GenHours, GenInstant).Sample((hours, at) =>
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(hours.TimeZone);
            var local = TimeZoneInfo.ConvertTime(at, zone);
            var date = DateOnly.FromDateTime(local.DateTime);
            var midnight = date.ToDateTime(TimeOnly.MinValue);
            if (zone.GetUtcOffset(midnight) != zone.GetUtcOffset(midnight.AddDays(1)) || zone.GetUtcOffset(midnight.AddDays(-1)) != zone.GetUtcOffset(midnight))
            {
                return; // a day the clocks change, or the one after: the class remarks say how those read
            }

            var time = TimeOnly.FromDateTime(local.DateTime);
            var expected = !hours.Closures.Contains(date) && hours.Week.Any(o =>
                o.Day == date.DayOfWeek && o.Opens <= time && (o.Closes == TimeOnly.MinValue || time < o.Closes));
            Assert.Equal(expected, WorkingClock.For(hours).IsOpen(at));
        }, iter: 1000);

    private static TimeOnly Quarter(int quarters) => quarters == 96 ? TimeOnly.MinValue : TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(15 * quarters));
}
