using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

/// <summary>Push and pull choices over random teams and queues, against a naive sort of the same rules.</summary>
public sealed class RoutingPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] Skills = ["billing", "refunds", "legal"];
    private static readonly string[] Languages = ["en", "de", "fr"];

    private static readonly Gen<TagSet> GenSkills = Gen.Int[0, Skills.Length - 1].Array[0, 3].Select(i => TagSet.Of(i.Select(k => Skills[k])));
    private static readonly Gen<TagSet> GenLanguages = Gen.Int[0, Languages.Length - 1].Array[0, 2].Select(i => TagSet.Of(i.Select(k => Languages[k])));
    private static readonly Gen<string?> GenLanguage = Gen.Int[-1, Languages.Length - 1].Select(i => i < 0 ? null : Languages[i]);

    private static readonly Gen<CaseNeeds> GenRequirements =
        Gen.Select(GenSkills, GenLanguage, Gen.Int[1, 3], static (skills, language, weight) => new CaseNeeds(skills, language, weight));

    // Few distinct ids, loads and idle times, so that ties are common and the tie-breaks are exercised.
    private static readonly Gen<RoutingCandidate> GenCandidate =
        Gen.Select(Gen.Int[0, 30], Gen.Enum<Presence>(), GenSkills, GenLanguages, Gen.Int[0, 6], Gen.Int[0, 6], Gen.Int[-1, 3],
            static (id, presence, skills, languages, capacity, load, idle) =>
                new RoutingCandidate($"p{id:D2}", presence, skills, languages, capacity, Math.Min(load, capacity), idle < 0 ? null : Now.AddMinutes(-idle)));

    private static readonly Gen<QueuedCase> GenCase =
        Gen.Select(Gen.Int[0, 500], Gen.Enum<Priority>(), Gen.Int[-1, 3], Gen.Int[0, 3], GenRequirements,
            static (id, priority, due, age, requirements) =>
                new QueuedCase($"cs{id:D3}", priority, due < 0 ? null : Now.AddMinutes(due * 10), Now.AddMinutes(-age), requirements));

    private static readonly Gen<string[]> GenExcluded = Gen.Int[0, 30].Array[0, 5].Select(ids => ids.Select(id => $"p{id:D2}").ToArray());

    [Fact]
    public void PushChoice_IsEligibleWithinCapacity_AndTheFirstOfANaiveSort() =>
        Gen.Select(GenRequirements, GenCandidate.Array[0, 40], GenExcluded).Sample((requirements, candidates, excludedIds) =>
        {
            var excluded = excludedIds.ToHashSet();
            var chosen = PushRouting.Choose(requirements, candidates, excluded);

            var eligible = candidates.Where(c => NaivelyEligible(requirements, c, excluded)).ToList();
            var expected = eligible
                .OrderBy(c => (double)c.Load / c.Capacity).ThenBy(c => c.Load)
                .ThenBy(c => c.LastAssignedAt is null ? 0 : 1).ThenBy(c => c.LastAssignedAt)
                .ThenBy(c => c.PersonId, StringComparer.Ordinal)
                .FirstOrDefault();

            Assert.Equal(expected is null, chosen is null);
            if (chosen is not null)
            {
                Assert.True(NaivelyEligible(requirements, chosen, excluded));
                Assert.True(chosen.Load + requirements.Weight <= chosen.Capacity, "over capacity");
                Assert.All(eligible, other => Assert.True(PushRouting.Compare(other, chosen) >= 0, $"{other.PersonId} is better than {chosen.PersonId}"));
                Assert.Equal(0, PushRouting.Compare(expected!, chosen));
            }
        }, iter: 2000);

    [Fact]
    public void PullChoice_IsTheFirstEligibleCaseOfANaiveSort() =>
        Gen.Select(GenCandidate, GenCase.Array[0, 60]).Sample((person, queue) =>
        {
            var next = PullRouting.Next(person, queue);

            var expected = queue.Where(c => NaivelyFits(c.Requirements, person))
                .OrderByDescending(c => c.Priority)
                .ThenBy(c => c.SlaDueAt is null ? 1 : 0).ThenBy(c => c.SlaDueAt)
                .ThenBy(c => c.CreatedAt).ThenBy(c => c.CaseId, StringComparer.Ordinal)
                .FirstOrDefault();

            Assert.Equal(expected is null, next is null);
            if (next is not null)
            {
                Assert.True(NaivelyFits(next.Requirements, person));
                Assert.True(person.Load + next.Requirements.Weight <= person.Capacity, "over capacity");
                Assert.Equal(0, PullRouting.Compare(expected!, next));
            }
        }, iter: 2000);

    [Fact]
    public void Explain_AgreesWithChoose() =>
        Gen.Select(GenRequirements, GenCandidate.Array[0, 40], GenExcluded).Sample((requirements, candidates, excludedIds) =>
        {
            var excluded = excludedIds.ToHashSet();
            var checks = PushRouting.Explain(requirements, candidates, excluded);

            Assert.Equal(candidates.Select(c => c.PersonId), checks.Select(c => c.PersonId));
            Assert.Equal(PushRouting.Choose(requirements, candidates, excluded) is null, checks.All(c => c.Eligibility != Eligibility.Eligible));
        }, iter: 500);

    private static bool NaivelyEligible(CaseNeeds requirements, RoutingCandidate candidate, HashSet<string> excluded) =>
        candidate.Presence == Presence.Online && !excluded.Contains(candidate.PersonId) && NaivelyFits(requirements, candidate);

    private static bool NaivelyFits(CaseNeeds requirements, RoutingCandidate person) =>
        requirements.Skills.All(skill => person.Skills.Any(s => string.Equals(s, skill, StringComparison.OrdinalIgnoreCase)))
        && (requirements.Language is null || person.Languages.Any(l => string.Equals(l, requirements.Language, StringComparison.OrdinalIgnoreCase)))
        && person.Load + requirements.Weight <= person.Capacity;
}
