using CsCheck;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Routing;

namespace Handoff.Storage.Tests;

/// <summary>
/// Three people at once accepting the offers of the same cases, and some of those cases claimed by all of them as well,
/// through one store or through several nodes of one database: at most one owner per case, and neither an acceptance
/// nor a claim ever takes a person over their capacity (the workspace's weights are the race's).
/// </summary>
internal static class RoutingRace
{
    private static readonly DateTimeOffset At = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ring = TimeSpan.FromMinutes(5);

    /// <summary>Capacities of the three people, the cases (live or not, offered to whom, claimed too), and the queued and live weights.</summary>
    public static Gen<Race> Races { get; } = Gen.Select(
        Gen.Int[1, 4].Array[3],
        Gen.Select(Gen.Bool, Gen.Int[0, 2], Gen.Int[0, 3]).Select(static (live, to, claim) => new RaceCase(live, to, claim == 0)).Array[2, 8],
        Gen.Int[1, 2],
        Gen.Int[1, 3]).Select(static (capacities, cases, queued, live) => new Race(capacities, cases, new LoadWeights(queued, live)));

    /// <summary>Runs <paramref name="race"/> in a new workspace; each attempt goes through the next of <paramref name="nodes"/>.</summary>
    public static async Task RunAsync(IReadOnlyList<IHandoffStore> nodes, Race race, CancellationToken cancellationToken)
    {
        var store = nodes[0];
        var suffix = Guid.NewGuid().ToString("N");
        var ws = (await store.EnsureWorkspaceAsync($"race-{suffix}", Actor.Cli("ops"), cancellationToken)).Id;
        await store.SetRoutingSettingsAsync(
            ws, RoutingSettings.Default with { QueuedWeight = race.Weights.Queued, LiveWeight = race.Weights.Live }, Actor.Cli("ops"), cancellationToken);
        var people = new List<Actor>();
        for (var i = 0; i < race.Capacities.Length; i++)
        {
            var user = await store.AddUserAsync(
                new NewUser(ws, $"r{i}-{suffix}@example.com", $"Racer {i}", UserRole.Reviewer, [], "hash") { Capacity = race.Capacities[i] },
                Actor.Cli("ops"), cancellationToken);
            people.Add(new Actor(Actor.UserKind, user!.Id, user.Name));
        }

        var ids = new List<string>();
        foreach (var c in race.Cases)
        {
            var created = (await store.CreateCaseAsync(NewCase(ws, c.Live), cancellationToken)).Case;
            Assert.Equal(CaseUpdateStatus.Updated, (await store.OfferCaseAsync(ws, created.Id, people[c.OfferedTo], At, Ring, cancellationToken)).Status);
            ids.Add(created.Id);
        }

        var attempts = new List<(int Case, int Person, bool Claim)>();
        for (var i = 0; i < ids.Count; i++)
        {
            for (var p = 0; p < people.Count; p++)
            {
                attempts.Add((i, p, false));
                attempts.Add((i, p, false));
                if (race.Cases[i].Claimed)
                {
                    attempts.Add((i, p, true));
                }
            }
        }

        var results = await Task.WhenAll(attempts.Select((a, n) => Task.Run(async () =>
        {
            var node = nodes[n % nodes.Count];
            var update = a.Claim
                ? await node.ClaimCaseAsync(ws, ids[a.Case], people[a.Person], At.AddSeconds(1), cancellationToken)
                : await node.AcceptOfferAsync(ws, ids[a.Case], people[a.Person], At.AddSeconds(1),
                    new CapacityLimit(race.Capacities[a.Person], race.Weights.Queued, race.Weights.Live), cancellationToken);
            return (a.Case, a.Person, a.Claim, update.Status);
        }, cancellationToken)));

        var final = new List<HandoffCase>();
        for (var i = 0; i < ids.Count; i++)
        {
            var stored = (await store.GetCaseAsync(ws, ids[i], cancellationToken))!;
            final.Add(stored);
            var winners = results.Where(r => r.Case == i && r.Status == CaseUpdateStatus.Updated).Select(static r => r.Person).Distinct().ToList();
            Assert.True(winners.Count <= 1, $"Case {i} has {winners.Count} owners.");
            Assert.Equal(winners.Count == 0 ? null : people[winners[0]].Id, stored.AssignedTo?.Id);
            // Taken, it rings for nobody; refused for want of room, it still rings for its person.
            Assert.Equal(winners.Count == 0 ? people[race.Cases[i].OfferedTo].Id : null, stored.Offer?.To.Id);
            var taken = (await store.GetCaseHistoryAsync(ws, ids[i], cancellationToken)).Count(static e => e.Action is AuditData.CaseAccepted or AuditData.CaseClaimed);
            Assert.Equal(winners.Count, taken);
        }

        for (var p = 0; p < people.Count; p++)
        {
            var load = final.Where(c => c.AssignedTo?.Id == people[p].Id).Sum(c => race.Weights.Of(c.IsLive()));
            Assert.True(load <= race.Capacities[p], $"{people[p].Name} holds {load} units with a capacity of {race.Capacities[p]}.");
            foreach (var refused in results.Where(r => r.Person == p && r.Status == CaseUpdateStatus.OverCapacity))
            {
                // Loads only grow in this race, so a refusal that was right then is still right at the end.
                Assert.True(load + race.Weights.Of(final[refused.Case].IsLive()) > race.Capacities[p], $"{people[p].Name} was refused case {refused.Case} with room for it.");
            }
        }

        Assert.True(AuditChain.Verify(await store.ReadSealedAuditAsync(0, 100_000, cancellationToken)).Intact);
    }

    private static HandoffCase NewCase(string workspaceId, bool live) => new()
    {
        Id = $"case_{Guid.NewGuid():N}",
        WorkspaceId = workspaceId,
        Content = new CaseContent { Kind = CaseKind.Reply, Summary = "Where is my order?" },
        Evaluation = new Evaluation(Outcome.Review, [], "support", Priority.Normal, 0.75, 1),
        Status = CaseStatus.Pending,
        CreatedAt = At,
        UpdatedAt = At,
        LiveUntil = live ? At + Ring : null,
    };

    internal sealed record RaceCase(bool Live, int OfferedTo, bool Claimed);

    internal sealed record Race(int[] Capacities, RaceCase[] Cases, LoadWeights Weights)
    {
        public override string ToString() =>
            $"capacities [{string.Join(", ", Capacities)}], weights {Weights.Queued}/{Weights.Live}, cases [{string.Join(", ", Cases.Select(static c => $"{(c.Live ? "live" : "queued")}→{c.OfferedTo}{(c.Claimed ? "+claims" : "")}"))}]";
    }
}
