using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

public sealed class PushRoutingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly CaseNeeds Billing = new(TagSet.Of("billing"), null, 1);

    private static RoutingCandidate Person(string id, int load = 0, int capacity = 4, Presence presence = Presence.Online,
        string skills = "billing", string languages = "en", int? idleMinutes = 0) =>
        new(id, presence, TagSet.Of(skills.Split(',', StringSplitOptions.RemoveEmptyEntries)), TagSet.Of(languages.Split(',', StringSplitOptions.RemoveEmptyEntries)),
            capacity, load, idleMinutes is { } m ? Now.AddMinutes(-m) : null);

    [Fact]
    public void Choose_PrefersTheLeastLoadedForTheirCapacity()
    {
        // Rita holds 2 of 8 (25 %), Sam 1 of 2 (50 %): Rita, though she holds more cases.
        var chosen = PushRouting.Choose(Billing, [Person("sam", load: 1, capacity: 2), Person("rita", load: 2, capacity: 8)]);

        Assert.Equal("rita", chosen?.PersonId);
    }

    [Fact]
    public void Choose_OnEqualShares_PrefersTheLowerLoadThenTheLongestIdle()
    {
        Assert.Equal("ada", PushRouting.Choose(Billing, [Person("sam", load: 2, capacity: 8), Person("ada", load: 1, capacity: 4)])?.PersonId);
        Assert.Equal("sam", PushRouting.Choose(Billing, [Person("ada", idleMinutes: 5), Person("sam", idleMinutes: 30)])?.PersonId);
        Assert.Equal("new", PushRouting.Choose(Billing, [Person("sam", idleMinutes: 30), Person("new", idleMinutes: null)])?.PersonId);
        Assert.Equal("ada", PushRouting.Choose(Billing, [Person("sam"), Person("ada")])?.PersonId);
    }

    [Fact]
    public void Choose_SkipsWhoeverIsIneligible()
    {
        var requirements = new CaseNeeds(TagSet.Of("billing", "refunds"), "de", 3);
        RoutingCandidate[] team =
        [
            Person("away", presence: Presence.Away, skills: "billing,refunds", languages: "de"),
            Person("declined", skills: "billing,refunds", languages: "de"),
            Person("full", load: 2, skills: "billing,refunds", languages: "de"),
            Person("no-refunds", skills: "billing", languages: "de"),
            Person("english", skills: "billing,refunds", languages: "en"),
            Person("rita", load: 1, skills: "Refunds,Billing", languages: "EN,DE", idleMinutes: 1),
        ];

        var chosen = PushRouting.Choose(requirements, team, new HashSet<string> { "declined" });

        Assert.Equal("rita", chosen?.PersonId);
        Assert.Equal(
            [Eligibility.NotOnline, Eligibility.AlreadyOffered, Eligibility.NoCapacity, Eligibility.MissingSkill, Eligibility.MissingLanguage, Eligibility.Eligible],
            PushRouting.Explain(requirements, team, new HashSet<string> { "declined" }).Select(c => c.Eligibility));
    }

    [Fact]
    public void Choose_WhenNobodyIsEligible_ReturnsNull()
    {
        Assert.Null(PushRouting.Choose(Billing, [Person("off", presence: Presence.Offline), Person("full", load: 4)]));
        Assert.Null(PushRouting.Choose(Billing, []));
    }

    [Fact]
    public void Choose_ALiveCase_NeedsRoomForItsWeight()
    {
        var live = Billing with { Weight = LoadWeights.Default.Of(live: true) };

        Assert.Null(PushRouting.Choose(live, [Person("rita", load: 2, capacity: 4)]));
        Assert.Equal("rita", PushRouting.Choose(live, [Person("rita", load: 1, capacity: 4)])?.PersonId);
    }

    [Fact]
    public void Choose_AWeightBelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PushRouting.Choose(Billing with { Weight = 0 }, [Person("rita")]));

    [Fact]
    public void LoadWeights_BelowOne_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoadWeights(0, 3));
        Assert.Equal((1, 3), (LoadWeights.Default.Of(live: false), LoadWeights.Default.Of(live: true)));
    }
}
