using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

public sealed class PullRoutingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly RoutingCandidate Rita = new("rita", Presence.Online, TagSet.Of("billing"), TagSet.Of("en", "de"), 4, 2, null);

    private static QueuedCase Case(string id, Priority priority = Priority.Normal, int? dueInMinutes = null, int ageMinutes = 10,
        string skills = "", string? language = null, int weight = 1) =>
        new(id, priority, dueInMinutes is { } due ? Now.AddMinutes(due) : null, Now.AddMinutes(-ageMinutes),
            new CaseNeeds(TagSet.Of(skills.Split(',', StringSplitOptions.RemoveEmptyEntries)), language, weight));

    [Fact]
    public void Next_TakesTheHighestPriorityFirst() =>
        Assert.Equal("urgent", PullRouting.Next(Rita, [Case("old", ageMinutes: 600, dueInMinutes: 1), Case("urgent", Priority.Urgent)])?.CaseId);

    [Fact]
    public void Next_OnEqualPriority_TakesTheEarliestDueThenCasesWithoutAnSla()
    {
        Assert.Equal("soon", PullRouting.Next(Rita, [Case("later", dueInMinutes: 60, ageMinutes: 90), Case("soon", dueInMinutes: 5)])?.CaseId);
        Assert.Equal("sla", PullRouting.Next(Rita, [Case("none", ageMinutes: 900), Case("sla", dueInMinutes: 600)])?.CaseId);
    }

    [Fact]
    public void Next_OtherwiseTakesTheOldestThenTheLowestId()
    {
        Assert.Equal("old", PullRouting.Next(Rita, [Case("new", ageMinutes: 1), Case("old", ageMinutes: 50)])?.CaseId);
        Assert.Equal("a", PullRouting.Next(Rita, [Case("b"), Case("a")])?.CaseId);
    }

    [Fact]
    public void Next_SkipsCasesThePersonCannotTake()
    {
        QueuedCase[] queue =
        [
            Case("legal", Priority.Urgent, skills: "legal"),
            Case("french", Priority.Urgent, language: "fr"),
            Case("live", Priority.Urgent, weight: 3),
            Case("german", Priority.High, skills: "BILLING", language: "DE", weight: 2),
        ];

        Assert.Equal("german", PullRouting.Next(Rita, queue)?.CaseId);
        Assert.Equal(
            [Eligibility.MissingSkill, Eligibility.MissingLanguage, Eligibility.NoCapacity, Eligibility.Eligible],
            queue.Select(c => PullRouting.Check(Rita, c)));
    }

    [Fact]
    public void Next_WhenNothingFits_ReturnsNull()
    {
        Assert.Null(PullRouting.Next(Rita, [Case("legal", skills: "legal")]));
        Assert.Null(PullRouting.Next(Rita with { Load = 4 }, [Case("any")]));
        Assert.Null(PullRouting.Next(Rita, []));
    }
}
