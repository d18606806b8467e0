using Handoff.Core.Notifications;
using Handoff.Core.Notifications.Email;

namespace Handoff.Core.Tests.Notifications.Email;

public sealed class EmailThreadingTests
{
    [Fact]
    public void OpensThread_OnlyTheEventThatHappensOncePerCase()
    {
        Assert.Equal([EventTypes.CaseCreated], EventTypes.All.Where(EmailThreading.OpensThread));
    }

    [Fact]
    public void Ids_AreOneDotAtom_WhateverTheIdsHold()
    {
        Assert.Equal("case.cs_1@handoff.example.com", EmailThreading.RootMessageId("cs_1", "handoff.example.com"));
        Assert.Equal("evt_1_0.cs-1-x-@handoff.example.com", EmailThreading.MessageId("evt_1_0", "cs 1<x>", "HANDOFF.example.com"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("handoff@example.com")]
    [InlineData("handoff example.com")]
    [InlineData("handoff.example.com>")]
    [InlineData(".example.com")]
    [InlineData("example..com")]
    public void Domain_ThatIsNoHostName_IsRefused(string domain) =>
        Assert.ThrowsAny<ArgumentException>(() => EmailThreading.Domain(domain));
}
