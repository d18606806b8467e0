using CsCheck;
using Handoff.Core.Routing;
using static Handoff.Core.Tests.Routing.Schedules;

namespace Handoff.Core.Tests.Routing;

public sealed class SlaClockTests
{
    private const string Berlin = "Europe/Berlin";
    private static readonly WorkingClock Office = WorkingClock.For(OfficeHours(Berlin));

    [Fact]
    public void Evaluate_EarlyInTheSla_IsOkWithTheWorkingTimeLeft()
    {
        var queued = At(Berlin, 2026, 12, 7, 9);
        var due = Office.DueAt(queued, TimeSpan.FromHours(4));

        var status = SlaClock.Evaluate(Office, queued, due, At(Berlin, 2026, 12, 7, 10));

        Assert.Equal(new SlaStatus(SlaState.Ok, TimeSpan.FromHours(3), 0.25), status);
    }

    [Fact]
    public void Evaluate_OverTheWeekend_CountsOnlyWorkingTime()
    {
        // Queued Friday 16:00 with a 2 h SLA: due Monday 10:00; on Sunday only the Friday hour is used.
        var queued = At(Berlin, 2026, 12, 4, 16);
        var due = Office.DueAt(queued, TimeSpan.FromHours(2));

        var status = SlaClock.Evaluate(Office, queued, due, At(Berlin, 2026, 12, 6, 20));

        Assert.Equal(new SlaStatus(SlaState.Ok, TimeSpan.FromHours(1), 0.5), status);
    }

    [Fact]
    public void Evaluate_PastTheWarnShare_Warns()
    {
        var queued = At(Berlin, 2026, 12, 7, 9);
        var due = Office.DueAt(queued, TimeSpan.FromHours(5));

        Assert.Equal(SlaState.Ok, SlaClock.Evaluate(Office, queued, due, At(Berlin, 2026, 12, 7, 12, 59)).State);
        Assert.Equal(SlaState.Warning, SlaClock.Evaluate(Office, queued, due, At(Berlin, 2026, 12, 7, 13)).State);
        Assert.Equal(SlaState.Ok, SlaClock.Evaluate(Office, queued, due, At(Berlin, 2026, 12, 7, 13), warnShare: 0.9).State);
    }

    [Fact]
    public void Evaluate_AtAndAfterTheDueTime_IsBreachedWithNegativeTimeLeft()
    {
        var queued = At(Berlin, 2026, 12, 7, 9);
        var due = Office.DueAt(queued, TimeSpan.FromHours(4));

        Assert.Equal(new SlaStatus(SlaState.Breached, TimeSpan.Zero, 1), SlaClock.Evaluate(Office, queued, due, due!.Value));
        Assert.Equal(new SlaStatus(SlaState.Breached, TimeSpan.FromHours(-2), 1.5), SlaClock.Evaluate(Office, queued, due, At(Berlin, 2026, 12, 7, 15)));
    }

    [Fact]
    public void Evaluate_NeverDue_StaysOk()
    {
        var never = WorkingClock.For(Hours(Berlin, []));
        var queued = At(Berlin, 2026, 12, 7, 9);

        Assert.Equal(new SlaStatus(SlaState.Ok, null, 0), SlaClock.Evaluate(never, queued, never.DueAt(queued, TimeSpan.FromHours(1)), queued.AddYears(1)));
        Assert.Null(SlaClock.WarningAt(never, queued, null));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Evaluate_WarnShareOutOfRange_Throws(double share) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SlaClock.Evaluate(Office, Utc(2026, 12, 7, 9), null, Utc(2026, 12, 7, 9), share));

    [Fact]
    public void WarningAt_IsInWorkingTime()
    {
        var queued = At(Berlin, 2026, 12, 4, 16);
        var due = Office.DueAt(queued, TimeSpan.FromHours(5));

        // 4 h of working time: one on Friday, three on Monday.
        Assert.Equal(At(Berlin, 2026, 12, 7, 12), SlaClock.WarningAt(Office, queued, due));
    }

    [Fact]
    public void WarningAt_AgreesWithEvaluate()
    {
        var clocks = new[] { WorkingClock.AroundTheClock, Office };
        Gen.Select(Gen.Int[0, 1], Gen.Int[0, 30 * 24 * 60], Gen.Int[0, 3 * 24 * 60 * 60], Gen.Double[0.01, 1]).Sample((c, start, seconds, share) =>
        {
            var clock = clocks[c];
            var queued = Utc(2026, 10, 1, 0).AddMinutes(start);
            var due = clock.DueAt(queued, TimeSpan.FromSeconds(seconds));
            var warning = SlaClock.WarningAt(clock, queued, due, share)!.Value;

            Assert.NotEqual(SlaState.Ok, SlaClock.Evaluate(clock, queued, due, warning, share).State);
            if (warning > queued)
            {
                Assert.Equal(SlaState.Ok, SlaClock.Evaluate(clock, queued, due, warning.AddTicks(-1), share).State);
            }
        }, iter: 500);
    }
}
