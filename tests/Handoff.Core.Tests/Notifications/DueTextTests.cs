using Handoff.Core.Cases;
using Handoff.Core.Notifications;

namespace Handoff.Core.Tests.Notifications;

public sealed class DueTextTests
{
    [Theory]
    [InlineData(30, "under a minute")]
    [InlineData(60, "1 min")]
    [InlineData(42 * 60 + 59, "42 min")]
    [InlineData(3600, "1 h")]
    [InlineData(2 * 3600 + 5 * 60, "2 h 5 min")]
    [InlineData(86400, "1 d")]
    [InlineData(3 * 86400 + 4 * 3600 + 59, "3 d 4 h")]
    public void Span_SaysTheLargestTwoUnits(int seconds, string expected)
    {
        Assert.Equal(expected, DueText.Span(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void TimeLeft_CountsFromTheEvent_AndSaysWhenItIsOverdue()
    {
        var notice = Notices.Escalated();

        Assert.Equal("1 h 5 min left", DueText.TimeLeft(notice));
        Assert.Equal("overdue by 5 min", DueText.TimeLeft(notice with { At = Notices.At.AddHours(1).AddMinutes(10) }));
        Assert.Null(DueText.TimeLeft(notice with { DueAt = null }));
        Assert.Null(DueText.TimeLeft(notice with { Status = CaseStatus.Approved }));
    }
}
