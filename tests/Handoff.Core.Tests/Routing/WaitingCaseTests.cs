using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

public sealed class WaitingCaseTests
{
    private static readonly DateTimeOffset Friday1600 = Schedules.At("Europe/Berlin", 2026, 12, 4, 16);

    [Fact]
    public void Queued_WithAnSla_IsDueWhenItsStoredSlaSays()
    {
        // Two working hours planned at submit in Berlin office hours: one left on Friday, one on Monday morning.
        var sla = SlaLadder.Plan(Routing(TimeSpan.FromHours(2)), WorkingClock.For(Schedules.OfficeHours("Europe/Berlin")), Friday1600);

        var queued = WaitingCase.Queued(Case() with { Sla = sla }, LoadWeights.Default);

        Assert.Equal(Schedules.At("Europe/Berlin", 2026, 12, 7, 10), queued.SlaDueAt);
        Assert.Equal(("cs_1", Priority.High, Friday1600), (queued.CaseId, queued.Priority, queued.CreatedAt));
    }

    [Fact]
    public void Queued_WithoutAnSlaOrRouting_IsNeverDue_AndNeedsNothingButItsWeight()
    {
        var queued = WaitingCase.Queued(Case() with { Evaluation = Case().Evaluation with { Routing = null } }, LoadWeights.Default);

        Assert.Null(queued.SlaDueAt);
        Assert.Equal(CaseNeeds.Any, queued.Requirements);
    }

    [Fact]
    public void Needs_CarriesSkillsLanguageAndTheLiveWeight()
    {
        var live = Case() with { LiveUntil = Friday1600.AddSeconds(45) };

        var needs = WaitingCase.Needs(live, new LoadWeights(1, 4));

        Assert.Equal((TagSet.Of("refunds", "legal"), "de", 4), (needs.Skills, needs.Language, needs.Weight));
        Assert.Equal(1, WaitingCase.Needs(live with { LiveFallbackAt = Friday1600.AddMinutes(1) }, new LoadWeights(1, 4)).Weight);
    }

    private static RoutingRequirements Routing(TimeSpan? sla) =>
        new(["refunds", "legal"], "de", HandoffMode.Queue, sla, 0.8, [], TimeSpan.FromSeconds(60), new ApprovalRule(1, null));

    private static HandoffCase Case() => new()
    {
        Id = "cs_1",
        WorkspaceId = "ws",
        Content = new CaseContent { Kind = CaseKind.Reply },
        Evaluation = new Evaluation(Outcome.Review, [], "billing", Priority.High, 0.75, 1) { Routing = Routing(null) },
        Status = CaseStatus.Pending,
        CreatedAt = Friday1600,
    };
}
