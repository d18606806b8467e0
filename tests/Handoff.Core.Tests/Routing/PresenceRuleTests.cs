using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

public sealed class PresenceRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan AwayAfter = TimeSpan.FromMinutes(2);

    [Fact]
    public void Effective_OnlineAndSeenWithinAwayAfter_IsOnline() =>
        Assert.Equal(Presence.Online, PresenceRule.Effective(Presence.Online, Now - AwayAfter, Now, AwayAfter));

    [Fact]
    public void Effective_OnlineButUnseenForLongerThanAwayAfter_IsAway() =>
        Assert.Equal(Presence.Away, PresenceRule.Effective(Presence.Online, Now - AwayAfter - TimeSpan.FromTicks(1), Now, AwayAfter));

    [Fact]
    public void Effective_OnlineAndNeverSeen_IsAway() =>
        Assert.Equal(Presence.Away, PresenceRule.Effective(Presence.Online, null, Now, AwayAfter));

    [Theory]
    [InlineData(Presence.Away)]
    [InlineData(Presence.Offline)]
    public void Effective_AwayOrOffline_StaysAsChosenHoweverRecentlySeen(Presence chosen)
    {
        Assert.Equal(chosen, PresenceRule.Effective(chosen, Now, Now, AwayAfter));
        Assert.Equal(chosen, PresenceRule.Effective(chosen, null, Now, AwayAfter));
    }
}
