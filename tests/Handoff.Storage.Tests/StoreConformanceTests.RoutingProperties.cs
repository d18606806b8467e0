using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private static readonly Gen<RoutingStep> RoutingSteps = Gen.Select(
        Gen.Frequency(
            (4, Gen.Const(RoutingOp.Submit)),
            (6, Gen.Const(RoutingOp.Offer)),
            (6, Gen.Const(RoutingOp.Accept)),
            (2, Gen.Const(RoutingOp.Decline)),
            (2, Gen.Const(RoutingOp.Claim)),
            (2, Gen.Const(RoutingOp.Release)),
            (4, Gen.Const(RoutingOp.Decide)),
            (2, Gen.Const(RoutingOp.TakeOver)),
            (2, Gen.Const(RoutingOp.Message)),
            (3, Gen.Const(RoutingOp.HandBack)),
            (1, Gen.Const(RoutingOp.Reassign)),
            (1, Gen.Const(RoutingOp.TransferToPerson)),
            (2, Gen.Const(RoutingOp.TransferToTeam)),
            (5, Gen.Const(RoutingOp.Advance)),
            (1, Gen.Const(RoutingOp.Capacity)),
            (1, Gen.Const(RoutingOp.Presence))),
        Gen.Int[0, 7],
        Gen.Int[0, 2],
        Gen.Int[0, 59],
        Gen.Int[0, 255]).Select(static (op, c, person, value, shape) => new RoutingStep(op, c, person, value, shape));

    /// <summary>How many random sequences <see cref="Routing_AnySequenceOfOperations_KeepsOneOwnerPerCaseOneStateEachAndCapacity"/> runs.</summary>
    protected virtual int RoutingSequences => 60;

    /// <summary>
    /// Never two owners, never over capacity, every case either assigned, queued or decided: random sequences of
    /// submissions (some live, some expiring, some with an SLA and breach ladder, some needing two approvals), offers,
    /// answers, lapses, claims, releases, decisions, takeovers, messages, handbacks, supervisors' reassignments,
    /// transfers to a person or a team, and time passing (offers lapse, cases expire, live waits end, SLA events and
    /// rungs fire), with changes of capacity and presence, each checked after every step against the state the store
    /// reads back, and against what the store says is due next. Capacity is the open cases a person holds, weighed by
    /// the workspace's weights (a ringing offer holds no room in the store; the router counts it when choosing): every
    /// write that gives a person a case — an accepted offer, a claim, a takeover, a reassignment, a transfer to them, a
    /// supervisor rung — is refused (the rung: skipped) when it would not fit, and lowering a capacity takes nothing
    /// away, so the property is that nothing ever raises a person's load above
    /// their capacity. At the end of every sequence each case's audit history replays to the stored case, and at the
    /// end of the run the whole log replays to every stored case.
    /// </summary>
    [Fact]
    public virtual async Task Routing_AnySequenceOfOperations_KeepsOneOwnerPerCaseOneStateEachAndCapacity()
    {
        var store = await CreateStoreAsync();
        // The workers' calls (lapse, expire, SLA events) reach every workspace, so time only moves forward across
        // sequences, and each sequence starts by letting everything earlier ones left due happen (a sequence that
        // failed while shrinking leaves cases behind): what the store says is due next is then this sequence's alone.
        var clock = Start;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] reached =
        [
            "Accept Updated", "Accept OverCapacity", "Accept Conflict", "Offer Updated", "Claim Updated", "Claim OverCapacity", "Decide Updated", "lapsed", "expired", "fell back",
            "TakeOver Updated", "Message Updated", "Message Conflict", "HandBack Updated", "Reassign Updated", "TransferToPerson Updated",
            "TransferToPerson Conflict", "TransferToTeam Updated", "TransferToTeam Conflict", "approval", "approved by two", "sla warning", "sla breach",
            "sla raisePriority", "sla overflow", "sla supervisor", "sla timeout",
        ];

        // Rounds of random sequences, each a sample of its own, until the sequences have reached everything the
        // invariants are about: a few of those take several fitting steps in a row, which one round of sequences misses
        // now and then. Never fewer than RoutingSequences, never more than three times as many.
        for (var round = 0; round < 6 && (round < 2 || reached.Any(what => seen.GetValueOrDefault(what) == 0)); round++)
        {
            await Gen.Select(Gen.Int[1, 2], Gen.Int[1, 4], RoutingSteps.Array[1, 40]).SampleAsync(async (queuedWeight, liveWeight, steps) =>
            {
                var run = new RoutingRun(this, store, clock, new LoadWeights(queuedWeight, liveWeight), seen);
                try
                {
                    await run.SetUpAsync();
                    foreach (var step in steps)
                    {
                        await run.StepAsync(step);
                    }

                    await run.AssertAuditReplaysAsync();
                    await run.StepAsync(RoutingRun.Drain);
                    await run.AssertAuditReplaysAsync();
                }
                finally
                {
                    // Past anything this sequence set due (the latest is a ladder rung a few minutes on).
                    clock = run.Now.AddHours(1);
                }
            }, iter: RoutingSequences / 2, threads: 1);
        }

        await AssertWholeLogReplaysAsync(store);
        Assert.All(reached, what => Assert.True(seen.GetValueOrDefault(what) > 0, $"No sequence saw {what}."));
    }

    /// <summary>Many accepting the offers of the same cases and claiming them at once (see <see cref="RoutingRace"/>).</summary>
    [Fact]
    public virtual async Task Routing_ManyAcceptingAndClaimingTheSameCasesAtOnce_GiveEachOneOwnerAndNobodyAcceptsOverCapacity()
    {
        var store = await CreateStoreAsync();
        await RoutingRace.Races.SampleAsync(race => RoutingRace.RunAsync([store], race, Ct), iter: 25, threads: 1);
    }

    // The whole log, read as the audit verifier reads it, replays to every stored case, and names no case the store lacks.
    private static async Task AssertWholeLogReplaysAsync(IHandoffStore store)
    {
        var replay = new CaseAuditReplay();
        var problems = new List<string>();
        for (long after = 0; ;)
        {
            var page = await store.ReadSealedAuditAsync(after, 1000, Ct);
            if (page.Count == 0)
            {
                break;
            }

            problems.AddRange(page.Select(replay.Add).OfType<string>());
            after = page[^1].Sequence;
        }

        for (string? after = null; ;)
        {
            var page = await store.ReadCasesAsync(after, 500, Ct);
            if (page.Count == 0)
            {
                break;
            }

            problems.AddRange(page.SelectMany(replay.Compare));
            after = page[^1].Id;
        }

        problems.AddRange(replay.Unseen());
        Assert.Empty(problems);
    }

    private enum RoutingOp
    {
        Submit, Offer, Accept, Decline, Claim, Release, Decide, TakeOver, Message, HandBack, Reassign, TransferToPerson, TransferToTeam,
        Advance, Capacity, Presence,

        /// <summary>Not generated: a day passes, so that everything due happens (see <see cref="RoutingRun.Drain"/>).</summary>
        Drain,
    }

    /// <summary>
    /// One operation: <paramref name="Case"/> picks among the cases submitted so far, <paramref name="Person"/> among
    /// three; <paramref name="Value"/> and <paramref name="Shape"/> pick the rest (a timeout, a verdict, an SLA's instants
    /// and ladder, a team).
    /// </summary>
    private readonly record struct RoutingStep(RoutingOp Op, int Case, int Person, int Value, int Shape);
}
