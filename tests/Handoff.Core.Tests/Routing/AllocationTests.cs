using Handoff.Core.Cases;
using Handoff.Core.Routing;
using static Handoff.Core.Tests.Routing.Schedules;

namespace Handoff.Core.Tests.Routing;

/// <summary>
/// The hot paths allocate nothing: routing runs for every case against every member, and a boxed enum comparison once
/// made "next case" allocate 350 KB per pass over 10,000 cases.
/// </summary>
public sealed class AllocationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PullNext_AllocatesNothing()
    {
        var person = new RoutingCandidate("rita", Presence.Online, TagSet.Of("billing"), TagSet.Of("en"), 4, 0, null);
        var queue = Enumerable.Range(0, 100).Select(i => new QueuedCase(
            $"cs{i}", (Priority)(i % 4), i % 3 == 0 ? null : Now.AddMinutes(i % 7), Now.AddMinutes(-i % 5),
            new CaseNeeds(i % 2 == 0 ? TagSet.Of("billing") : TagSet.Empty, i % 5 == 0 ? "EN" : null, 1))).ToArray();

        Assert.Equal(0, AllocatedBy(() => PullRouting.Next(person, queue)));
    }

    [Fact]
    public void PushChoose_AllocatesNothing()
    {
        var members = Enumerable.Range(0, 100).Select(i => new RoutingCandidate(
            $"p{i}", (Presence)(i % 3), TagSet.Of("billing", "refunds"), TagSet.Of("en", "de"), 4, i % 4, i % 2 == 0 ? null : Now.AddMinutes(-i))).ToArray();
        var requirements = new CaseNeeds(TagSet.Of("refunds"), "de", 1);
        var declined = new HashSet<string> { "p3" };

        Assert.Equal(0, AllocatedBy(() => PushRouting.Choose(requirements, members, declined)));
    }

    [Fact]
    public void WorkingClock_AllocatesNothing()
    {
        var clock = WorkingClock.For(OfficeHours("Europe/Berlin", new DateOnly(2026, 12, 8)));

        Assert.Equal(0, AllocatedBy(() => clock.DueAt(Now, TimeSpan.FromHours(40))));
        Assert.Equal(0, AllocatedBy(() => clock.WorkingTimeBetween(Now, Now.AddDays(9))));
    }

    private static long AllocatedBy<T>(Func<T> action)
    {
        action(); // compiles it and fills any lazy caches (the time zone's rules)
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
