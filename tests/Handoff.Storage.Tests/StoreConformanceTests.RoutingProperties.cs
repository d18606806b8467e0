using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private static readonly TimeoutEffect[] TimeoutEffects = [TimeoutEffect.Reject, TimeoutEffect.Approve, TimeoutEffect.Escalate];

    private static readonly Gen<RoutingStep> RoutingSteps = Gen.Select(
        Gen.Frequency(
            (4, Gen.Const(RoutingOp.Submit)),
            (5, Gen.Const(RoutingOp.Offer)),
            (5, Gen.Const(RoutingOp.Accept)),
            (2, Gen.Const(RoutingOp.Decline)),
            (2, Gen.Const(RoutingOp.Claim)),
            (2, Gen.Const(RoutingOp.Release)),
            (2, Gen.Const(RoutingOp.Decide)),
            (1, Gen.Const(RoutingOp.TakeOver)),
            (4, Gen.Const(RoutingOp.Advance)),
            (1, Gen.Const(RoutingOp.Capacity)),
            (1, Gen.Const(RoutingOp.Presence))),
        Gen.Int[0, 7],
        Gen.Int[0, 2],
        Gen.Int[0, 59]).Select(static (op, c, person, value) => new RoutingStep(op, c, person, value));

    /// <summary>How many random sequences <see cref="Routing_AnySequenceOfOperations_KeepsOneOwnerPerCaseOneStateEachAndCapacity"/> runs.</summary>
    protected virtual int RoutingSequences => 60;

    /// <summary>
    /// Never two owners, never over capacity, every case either assigned, queued or decided: random sequences of
    /// submissions, offers, answers, lapses, claims, releases, decisions, takeovers, live fallbacks, expiries and
    /// changes of capacity and presence, each checked after every step against the state the store reads back.
    /// Capacity is what <see cref="IHandoffStore.AcceptOfferAsync"/> enforces: the open cases a person holds, weighed
    /// by the workspace's weights (a ringing offer holds no room in the store; the router counts it when choosing). A
    /// claim or a takeover is a person's own choice and is not limited, and lowering a capacity takes nothing away, so
    /// the property is that nothing else ever raises a person's load above their capacity.
    /// </summary>
    [Fact]
    public virtual async Task Routing_AnySequenceOfOperations_KeepsOneOwnerPerCaseOneStateEachAndCapacity()
    {
        var store = await CreateStoreAsync();
        // LapseDueOffersAsync and ExpireDueCasesAsync reach every workspace, so time only moves forward across sequences.
        var clock = Start;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        await Gen.Select(Gen.Int[1, 2], Gen.Int[1, 4], RoutingSteps.Array[1, 40]).SampleAsync(async (queuedWeight, liveWeight, steps) =>
        {
            var run = new RoutingRun(this, store, clock, new LoadWeights(queuedWeight, liveWeight), seen);
            await run.SetUpAsync();
            foreach (var step in steps)
            {
                await run.StepAsync(step);
            }

            await run.AssertAuditReplaysAsync();
            clock = run.Now.AddMinutes(10);
        }, iter: RoutingSequences, threads: 1);

        // The sequences reached what the invariants are about, rather than passing for want of trying.
        Assert.All(
            ["Accept Updated", "Accept OverCapacity", "Accept Conflict", "Offer Updated", "Claim Updated", "Decide Updated", "lapsed", "expired", "fell back"],
            what => Assert.True(seen.GetValueOrDefault(what) > 0, $"No sequence saw {what}."));
    }

    /// <summary>Many accepting the offers of the same cases and claiming them at once (see <see cref="RoutingRace"/>).</summary>
    [Fact]
    public virtual async Task Routing_ManyAcceptingAndClaimingTheSameCasesAtOnce_GiveEachOneOwnerAndNobodyAcceptsOverCapacity()
    {
        var store = await CreateStoreAsync();
        await RoutingRace.Races.SampleAsync(race => RoutingRace.RunAsync([store], race, Ct), iter: 25, threads: 1);
    }

    private enum RoutingOp { Submit, Offer, Accept, Decline, Claim, Release, Decide, TakeOver, Advance, Capacity, Presence }

    /// <summary>One operation: <paramref name="Case"/> picks among the cases submitted so far, <paramref name="Person"/> among three.</summary>
    private readonly record struct RoutingStep(RoutingOp Op, int Case, int Person, int Value);

    /// <summary>One sequence in its own workspace: a push team of three people with capacities 1, 2 and 3.</summary>
    private sealed class RoutingRun(StoreConformanceTests tests, IHandoffStore store, DateTimeOffset start, LoadWeights weights, Dictionary<string, int> seen)
    {
        private readonly List<string> _caseIds = [];
        private Actor[] _people = [];
        private string _ws = "";

        public DateTimeOffset Now { get; private set; } = start;

        public async Task SetUpAsync()
        {
            var suffix = Guid.NewGuid().ToString("N");
            _ws = (await store.EnsureWorkspaceAsync($"props-{suffix}", Actor.Cli("ops"), Ct)).Id;
            Assert.Equal(TeamResultStatus.Done, (await store.AddTeamAsync(new Team { WorkspaceId = _ws, Name = "support", DisplayName = "Support" }, Alice, Ct)).Status);
            await store.SetRoutingSettingsAsync(_ws, RoutingSettings.Default with { QueuedWeight = weights.Queued, LiveWeight = weights.Live }, Alice, Ct);
            var people = new List<Actor>();
            for (var i = 0; i < 3; i++)
            {
                var user = await store.AddUserAsync(NewUser(_ws, $"p{i}-{suffix}@example.com", name: $"Person {i}") with { Capacity = i + 1 }, Alice, Ct);
                people.Add(new Actor(Actor.UserKind, user!.Id, user.Name));
            }

            _people = [.. people];
        }

        public async Task StepAsync(RoutingStep step)
        {
            var before = await ReadAsync();
            var capacities = await CapacitiesAsync();
            var loadsBefore = Loads(before);
            var who = _people[step.Person];
            var caseId = _caseIds.Count == 0 ? null : _caseIds[step.Case % _caseIds.Count];
            var current = caseId is null ? null : before[caseId];
            CaseUpdate? update = null;
            switch (step.Op)
            {
                case RoutingOp.Submit:
                    var submitted = tests.NewCase(_ws, expiresAt: step.Value % 4 == 1 ? Now.AddSeconds(step.Value) : null, onTimeout: TimeoutEffects[step.Value % 3]) with
                    {
                        CreatedAt = Now,
                        UpdatedAt = Now,
                        LiveUntil = step.Value % 3 == 0 ? Now.AddSeconds(20 + step.Value) : null,
                    };
                    _caseIds.Add((await tests.CreateAsync(store, submitted)).Id);
                    break;
                case RoutingOp.Offer when current is not null:
                    update = await store.OfferCaseAsync(_ws, current.Id, who, Now, TimeSpan.FromSeconds(1 + step.Value), Ct);
                    break;
                case RoutingOp.Accept when current is not null:
                    var limit = new CapacityLimit(capacities[who.Id], weights.Queued, weights.Live);
                    update = await store.AcceptOfferAsync(_ws, current.Id, who, Now, limit, Ct);
                    AssertAcceptAnswered(current, who, update, loadsBefore.GetValueOrDefault(who.Id), limit.Capacity);
                    break;
                case RoutingOp.Decline when current is not null:
                    update = await store.DeclineOfferAsync(_ws, current.Id, who, Now, Ct);
                    break;
                case RoutingOp.Claim when current is not null:
                    update = await store.ClaimCaseAsync(_ws, current.Id, who, Now, Ct);
                    break;
                case RoutingOp.Release when current is not null:
                    update = await store.ReleaseCaseAsync(_ws, current.Id, who, Now, Ct);
                    break;
                case RoutingOp.Decide when current is not null:
                    update = await store.DecideCaseAsync(_ws, current.Id, DecisionBy(who, Now, step.Value % 2 == 0 ? Verdict.Approve : Verdict.Reject),
                        step.Value % 2 == 0 ? CaseStatus.Approved : CaseStatus.Rejected, Ct);
                    break;
                case RoutingOp.TakeOver when current is not null:
                    update = await store.TakeOverCaseAsync(_ws, current.Id, who, Now, Ct);
                    break;
                case RoutingOp.Advance:
                    await AdvanceAsync(TimeSpan.FromSeconds(1 + step.Value));
                    break;
                case RoutingOp.Capacity:
                    Assert.NotNull(await store.UpdateUserAsync(_ws, who.Id, new UserChanges { Capacity = 1 + (step.Value % 4) }, Alice, Ct));
                    break;
                case RoutingOp.Presence:
                    Assert.NotNull(await store.SetPresenceAsync(_ws, who.Id, (Presence)(step.Value % 3), who, Ct));
                    break;
            }

            if (update is not null)
            {
                Count($"{step.Op} {update.Status}");
            }

            if (update is { Status: not CaseUpdateStatus.Updated })
            {
                // A refused change changes nothing.
                Assert.NotEqual(CaseUpdateStatus.NotFound, update.Status);
                AssertSameCase(current!, await store.GetCaseAsync(_ws, current!.Id, Ct));
            }

            var after = await ReadAsync();
            if (step.Op == RoutingOp.Presence)
            {
                // Presence decides who is offered work, never who holds it.
                Assert.All(before, pair => AssertSameCase(pair.Value, after[pair.Key]));
            }

            AssertStates(before, after);
            AssertCapacity(step, who, loadsBefore, Loads(after), await CapacitiesAsync());
        }

        public async Task AssertAuditReplaysAsync()
        {
            foreach (var (id, stored) in await ReadAsync())
            {
                AssertReplays(await store.GetCaseHistoryAsync(_ws, id, Ct), stored);
            }
        }

        // What the server's workers do when time passes: offers lapse, cases expire, live waits end in the queue.
        private async Task AdvanceAsync(TimeSpan by)
        {
            Now += by;
            Count("lapsed", (await store.LapseDueOffersAsync(Now, 1000, Ct)).Count(c => c.WorkspaceId == _ws));
            Count("expired", (await store.ExpireDueCasesAsync(Now, 1000, Ct)).Count(c => c.WorkspaceId == _ws));
            foreach (var live in await store.ListLiveCasesDueAsync(Now, 1000, Ct))
            {
                if (live.WorkspaceId == _ws)
                {
                    Assert.Equal(CaseUpdateStatus.Updated, (await store.FallBackLiveCaseAsync(_ws, live.Id, Now, null, "property", Ct)).Status);
                    Count("fell back");
                }
            }
        }

        private void Count(string what, int times = 1) => seen[what] = seen.GetValueOrDefault(what) + times;

        // Exactly the person it rings for, before it lapses, and exactly when their load leaves room for it.
        private void AssertAcceptAnswered(HandoffCase current, Actor who, CaseUpdate update, int load, int capacity)
        {
            var ringsForThem = current.Status.IsOpen() && current.AssignedTo is null
                && current.Offer is { } offer && offer.To.Id == who.Id && Now < offer.ExpiresAt;
            var fits = load + weights.Of(current.IsLive()) <= capacity;
            var expected = !ringsForThem ? CaseUpdateStatus.Conflict : fits ? CaseUpdateStatus.Updated : CaseUpdateStatus.OverCapacity;
            Assert.Equal(expected, update.Status);
        }

        // Every case is exactly one of: closed with its decision, held by one person, or queued (perhaps ringing).
        private void AssertStates(Dictionary<string, HandoffCase> before, Dictionary<string, HandoffCase> after)
        {
            foreach (var (id, c) in after)
            {
                var previous = before.GetValueOrDefault(id);
                if (!c.Status.IsOpen())
                {
                    Assert.NotNull(c.Decision);
                    Assert.Null(c.Offer);
                    if (previous is not null && !previous.Status.IsOpen())
                    {
                        // Decided stays decided.
                        AssertSameCase(previous, c);
                    }
                }
                else if (c.AssignedTo is { } owner)
                {
                    Assert.Contains(c.Status, new[] { CaseStatus.Assigned, CaseStatus.Escalated, CaseStatus.TakenOver });
                    Assert.Null(c.Offer);
                    // Never from one owner to another in one step: the first lets go (or decides) before anyone else holds it.
                    Assert.Equal((previous?.AssignedTo ?? owner).Id, owner.Id);
                }
                else
                {
                    Assert.Contains(c.Status, new[] { CaseStatus.Pending, CaseStatus.Escalated });
                    if (c.Offer is { } offer)
                    {
                        Assert.DoesNotContain(offer.To.Id, c.PassedOver ?? []);
                        Assert.True(offer.ExpiresAt > offer.At);
                    }
                }
            }
        }

        private void AssertCapacity(RoutingStep step, Actor who, Dictionary<string, int> before, Dictionary<string, int> after, Dictionary<string, int> capacities)
        {
            foreach (var person in _people)
            {
                var load = after.GetValueOrDefault(person.Id);
                var ownChoice = step.Op is RoutingOp.Claim or RoutingOp.TakeOver && person.Id == who.Id;
                Assert.True(
                    load <= capacities[person.Id] || load <= before.GetValueOrDefault(person.Id) || ownChoice,
                    $"{step} took {person.Name} from a load of {before.GetValueOrDefault(person.Id)} to {load}, over their capacity of {capacities[person.Id]}.");
            }
        }

        private Dictionary<string, int> Loads(Dictionary<string, HandoffCase> cases)
        {
            var loads = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var c in cases.Values)
            {
                if (c.Status.IsOpen() && c.AssignedTo is { } holder)
                {
                    loads[holder.Id] = loads.GetValueOrDefault(holder.Id) + weights.Of(c.IsLive());
                }
            }

            return loads;
        }

        private async Task<Dictionary<string, int>> CapacitiesAsync() =>
            (await store.ListUsersAsync(_ws, Ct)).ToDictionary(static u => u.Id, static u => u.Capacity, StringComparer.Ordinal);

        private async Task<Dictionary<string, HandoffCase>> ReadAsync()
        {
            var cases = new Dictionary<string, HandoffCase>(StringComparer.Ordinal);
            foreach (var id in _caseIds)
            {
                cases[id] = (await store.GetCaseAsync(_ws, id, Ct))!;
            }

            return cases;
        }
    }
}
