using Handoff.Core.Notifications.Email;

namespace Handoff.Core.Tests.Notifications.Email;

public sealed class DueTextTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(59 * 60 + 59, "59 min left")]
    [InlineData(60 * 60, "1 h left")]
    [InlineData(90 * 60 + 59, "1 h 30 min left")]
    [InlineData(24 * 3600, "1 d left")]
    [InlineData(50 * 3600 + 59 * 60, "2 d 2 h left")]
    [InlineData(60, "1 min left")]
    [InlineData(59, "due now")]
    [InlineData(0, "due now")]
    [InlineData(-59, "due now")]
    [InlineData(-60, "overdue by 1 min")]
    [InlineData(-(3 * 3600 + 60), "overdue by 3 h 1 min")]
    public void Left_RoundsDownToWholeUnits_NeverPromisingMoreTimeThanThereIs(int secondsLeft, string expected) =>
        Assert.Equal(expected, DueText.Left(At.AddSeconds(secondsLeft), At));

    [Theory]
    [InlineData(60, false)]
    [InlineData(59, true)]
    [InlineData(-3600, true)]
    public void Late_FromTheMinuteItIsDue(int secondsLeft, bool late) => Assert.Equal(late, DueText.Late(At.AddSeconds(secondsLeft), At));

    [Fact]
    public void Left_NeverDue_IsNull() => Assert.Null(DueText.Left(null, At));

    [Fact]
    public void Absolute_IsInUtc_WhateverTheOffset() =>
        Assert.Equal("2 Mar 2026, 09:00 UTC", DueText.Absolute(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1))));
}
