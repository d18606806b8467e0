using Handoff.Core.Routing;
using static Handoff.Core.Tests.Routing.Schedules;

namespace Handoff.Core.Tests.Routing;

public sealed class WorkingClockTests
{
    private const string Berlin = "Europe/Berlin";
    private const string NewYork = "America/New_York";
    private static readonly TimeSpan TwoHours = TimeSpan.FromHours(2);

    [Fact]
    public void For_Null_WorksAroundTheClock()
    {
        var clock = WorkingClock.For(null);
        var start = Utc(2026, 3, 29, 0, 30);

        Assert.Same(WorkingClock.AroundTheClock, clock);
        Assert.True(clock.IsOpen(start));
        Assert.Equal(start, clock.NextOpening(start));
        Assert.Equal(start.AddDays(3), clock.DueAt(start, TimeSpan.FromDays(3)));
        Assert.Equal(TimeSpan.FromDays(3), clock.WorkingTimeBetween(start, start.AddDays(3)));
    }

    [Fact]
    public void DueAt_LateOnFriday_ContinuesOnMonday()
    {
        var clock = WorkingClock.For(OfficeHours(Berlin));

        var due = clock.DueAt(At(Berlin, 2026, 12, 4, 16), TwoHours);

        Assert.Equal(At(Berlin, 2026, 12, 7, 10), due);
        Assert.Equal(TimeSpan.Zero, due!.Value.Offset);
    }

    [Fact]
    public void DueAt_OutsideHours_StartsCountingAtTheNextOpening()
    {
        var clock = WorkingClock.For(OfficeHours(Berlin));

        Assert.Equal(At(Berlin, 2026, 12, 7, 11), clock.DueAt(At(Berlin, 2026, 12, 5, 12), TwoHours));
        Assert.Equal(At(Berlin, 2026, 12, 4, 17), clock.DueAt(At(Berlin, 2026, 12, 4, 9), TimeSpan.FromHours(8)));
    }

    [Fact]
    public void DueAt_AcrossBerlinSpringForward_KeepsLocalOpeningTimes()
    {
        var clock = WorkingClock.For(OfficeHours(Berlin));

        // Friday 16:00 CET is 15:00 UTC; Monday 10:00 CEST is 08:00 UTC.
        var due = clock.DueAt(At(Berlin, 2026, 3, 27, 16), TwoHours);

        Assert.Equal(Utc(2026, 3, 30, 8), due);
        Assert.Equal(TwoHours, clock.WorkingTimeBetween(Utc(2026, 3, 27, 15), Utc(2026, 3, 30, 8)));
    }

    [Fact]
    public void DueAt_AcrossBerlinFallBack_KeepsLocalOpeningTimes()
    {
        var clock = WorkingClock.For(OfficeHours(Berlin));

        // Friday 16:00 CEST is 14:00 UTC; Monday 10:00 CET is 09:00 UTC.
        Assert.Equal(Utc(2026, 10, 26, 9), clock.DueAt(At(Berlin, 2026, 10, 23, 16), TwoHours));
    }

    [Fact]
    public void DueAt_AcrossNewYorkChanges_KeepsLocalOpeningTimes()
    {
        var clock = WorkingClock.For(OfficeHours(NewYork));

        // Spring forward on Sunday 8 March 2026: Friday 16:00 EST = 21:00 UTC, Monday 10:00 EDT = 14:00 UTC.
        Assert.Equal(Utc(2026, 3, 9, 14), clock.DueAt(At(NewYork, 2026, 3, 6, 16), TwoHours));
        // Fall back on Sunday 1 November 2026: Friday 16:00 EDT = 20:00 UTC, Monday 10:00 EST = 15:00 UTC.
        Assert.Equal(Utc(2026, 11, 2, 15), clock.DueAt(At(NewYork, 2026, 10, 30, 16), TwoHours));
    }

    [Theory]
    [InlineData(Berlin, 3, 29, 23)]
    [InlineData(Berlin, 10, 25, 25)]
    [InlineData(Berlin, 10, 18, 24)]
    [InlineData(NewYork, 3, 8, 23)]
    [InlineData(NewYork, 11, 1, 25)]
    public void WorkingTimeBetween_AllDaySundayOnAChangeDay_IsAsLongAsTheClockRan(string zone, int month, int day, int hours)
    {
        var clock = WorkingClock.For(Hours(zone, Each([DayOfWeek.Sunday], "00:00", "00:00")));
        var sunday = At(zone, 2026, month, day, 0);

        Assert.Equal(TimeSpan.FromHours(hours), clock.WorkingTimeBetween(sunday.AddDays(-1), sunday.AddDays(2)));
        Assert.Equal(sunday.AddHours(hours).ToUniversalTime(), clock.DueAt(sunday.AddHours(-5), TimeSpan.FromHours(hours)));
    }

    [Fact]
    public void Openings_AroundTheSkippedHour_StartOrEndAtTheJump()
    {
        // 29 March 2026 in Berlin: 02:00 CET (01:00 UTC) jumps to 03:00 CEST.
        var clock = WorkingClock.For(Hours(Berlin, [.. Each([DayOfWeek.Sunday], "01:00", "02:30"), .. Each([DayOfWeek.Sunday], "02:45", "04:00")]));
        var saturday = Utc(2026, 3, 28, 12);

        Assert.Equal(Utc(2026, 3, 29, 0), clock.NextOpening(saturday));
        Assert.True(clock.IsOpen(Utc(2026, 3, 29, 0, 59)));
        // 02:30 and 02:45 never happen: the first opening ends and the second begins at the jump, 01:00 UTC.
        Assert.True(clock.IsOpen(Utc(2026, 3, 29, 1)));
        Assert.Equal(TimeSpan.FromHours(2), clock.WorkingTimeBetween(saturday, saturday.AddDays(1)));
    }

    [Fact]
    public void Opening_WhollyInsideTheSkippedHour_IsEmptyThatDay()
    {
        var clock = WorkingClock.For(Hours(Berlin, Each([DayOfWeek.Sunday], "02:15", "02:45")));

        Assert.Equal(At(Berlin, 2026, 4, 5, 2, 15), clock.NextOpening(Utc(2026, 3, 28, 12)));
        Assert.Equal(TimeSpan.Zero, clock.WorkingTimeBetween(Utc(2026, 3, 28, 12), Utc(2026, 3, 30, 0)));
    }

    [Fact]
    public void Opening_OverTheRepeatedHour_CountsItTwice()
    {
        // 25 October 2026 in Berlin: 03:00 CEST (01:00 UTC) falls back to 02:00 CET, so 02:00–03:00 is shown twice.
        var clock = WorkingClock.For(Hours(Berlin, Each([DayOfWeek.Sunday], "02:00", "03:00")));

        Assert.Equal(Utc(2026, 10, 25, 0), clock.NextOpening(Utc(2026, 10, 24, 12)));
        Assert.Equal(Utc(2026, 10, 25, 2), clock.DueAt(Utc(2026, 10, 24, 12), TimeSpan.FromHours(2)));
        Assert.True(clock.IsOpen(Utc(2026, 10, 25, 1, 30)));
        Assert.False(clock.IsOpen(Utc(2026, 10, 25, 2)));
    }

    [Fact]
    public void OpeningsClosingAtMidnight_RunIntoTheNextDay()
    {
        var clock = WorkingClock.For(Hours(Berlin, [.. Each([DayOfWeek.Friday], "22:00", "00:00"), .. Each([DayOfWeek.Saturday], "00:00", "02:00")]));
        var friday = At(Berlin, 2026, 12, 4, 23);

        Assert.True(clock.IsOpen(At(Berlin, 2026, 12, 5, 0)));
        Assert.False(clock.IsOpen(At(Berlin, 2026, 12, 5, 2)));
        Assert.Equal(At(Berlin, 2026, 12, 5, 1), clock.DueAt(friday, TwoHours));
        Assert.Equal(At(Berlin, 2026, 12, 11, 23), clock.DueAt(friday, TimeSpan.FromHours(4)));
    }

    [Fact]
    public void SeveralOpeningsADay_SkipTheBreak()
    {
        var clock = WorkingClock.For(Hours(Berlin, [.. Each(Weekdays, "09:00", "12:00"), .. Each(Weekdays, "13:00", "17:00")]));

        Assert.Equal(At(Berlin, 2026, 12, 7, 14), clock.DueAt(At(Berlin, 2026, 12, 7, 11), TwoHours));
        Assert.False(clock.IsOpen(At(Berlin, 2026, 12, 7, 12, 30)));
        Assert.Equal(At(Berlin, 2026, 12, 7, 13), clock.NextOpening(At(Berlin, 2026, 12, 7, 12, 30)));
        Assert.Equal(TimeSpan.FromHours(7), clock.WorkingTimeBetween(At(Berlin, 2026, 12, 7, 0), At(Berlin, 2026, 12, 8, 0)));
    }

    [Fact]
    public void Closure_SkipsTheWholeDay()
    {
        var clock = WorkingClock.For(OfficeHours(Berlin, new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 25)));

        Assert.Equal(At(Berlin, 2026, 12, 8, 10), clock.DueAt(At(Berlin, 2026, 12, 4, 16), TwoHours));
        Assert.False(clock.IsOpen(At(Berlin, 2026, 12, 7, 10)));
        Assert.Equal(At(Berlin, 2026, 12, 8, 9), clock.NextOpening(At(Berlin, 2026, 12, 7, 10)));
        Assert.Equal(TimeSpan.FromHours(8), clock.WorkingTimeBetween(At(Berlin, 2026, 12, 24, 0), At(Berlin, 2026, 12, 27, 0)));
    }

    [Fact]
    public void Closures_OfEveryWorkingDayForMonths_AreWaitedOut()
    {
        // Open on Sundays only, closed on the next twenty of them: the walk must not give up after a few idle weeks.
        var sundays = Enumerable.Range(0, 20).Select(i => new DateOnly(2026, 12, 6).AddDays(7 * i)).ToArray();
        var clock = WorkingClock.For(Hours(Berlin, Each([DayOfWeek.Sunday], "10:00", "12:00"), sundays));

        Assert.Equal(At(Berlin, 2027, 4, 25, 11), clock.DueAt(At(Berlin, 2026, 12, 5, 12), TimeSpan.FromHours(1)));
        Assert.Equal(At(Berlin, 2027, 4, 25, 10), clock.NextOpening(At(Berlin, 2026, 12, 5, 12)));
    }

    [Fact]
    public void EmptyWeek_NeverOpens_AndNothingIsEverDue()
    {
        var clock = WorkingClock.For(Hours(Berlin, []));
        var start = Utc(2026, 12, 4, 10);

        Assert.False(clock.IsOpen(start));
        Assert.Null(clock.NextOpening(start));
        Assert.Null(clock.DueAt(start, TimeSpan.FromMinutes(1)));
        Assert.Equal(start, clock.DueAt(start, TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, clock.WorkingTimeBetween(start, start.AddDays(30)));
    }

    [Fact]
    public void WorkingTimeBetween_Backwards_IsZero()
    {
        var clock = WorkingClock.For(null);

        Assert.Equal(TimeSpan.Zero, clock.WorkingTimeBetween(Utc(2026, 12, 4, 10), Utc(2026, 12, 4, 9)));
    }

    [Fact]
    public void DueAt_NegativeDuration_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkingClock.For(null).DueAt(Utc(2026, 12, 4, 10), TimeSpan.FromTicks(-1)));

    [Fact]
    public void For_InvalidHours_ThrowsNamingTheField()
    {
        var error = Assert.Throws<ArgumentException>(() => WorkingClock.For(Hours("Mars/Olympus", [])));

        Assert.Contains("timeZone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArgumentsWithAnyOffset_AreTheSameInstant()
    {
        var clock = WorkingClock.For(OfficeHours(Berlin));
        var local = At(Berlin, 2026, 12, 4, 16);

        Assert.Equal(clock.DueAt(local, TwoHours), clock.DueAt(local.ToOffset(TimeSpan.FromHours(-7)), TwoHours));
    }
}
