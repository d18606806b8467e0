using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private sealed partial class RoutingRun
    {
        // Exactly the person it rings for, before it lapses, and exactly when their load leaves room for it.
        private void AssertAcceptAnswered(HandoffCase current, Actor who, CaseUpdate update, int load, int capacity)
        {
            var ringsForThem = current.Status.IsOpen() && current.AssignedTo is null
                && current.Offer is { } offer && offer.To.Id == who.Id && Now < offer.ExpiresAt;
            var fits = load + _weights.Of(current.IsLive()) <= capacity;
            var expected = !ringsForThem ? CaseUpdateStatus.Conflict : fits ? CaseUpdateStatus.Updated : CaseUpdateStatus.OverCapacity;
            Assert.Equal(expected, update.Status);
        }

        // A case handed to a person is theirs, ringing for nobody.
        private static CaseUpdate AssertGivenTo(Actor who, CaseUpdate update)
        {
            if (update is { Status: CaseUpdateStatus.Updated, Case: { } given })
            {
                Assert.Equal((who.Id, null), (given.AssignedTo?.Id, given.Offer));
            }

            return update;
        }

        // Every case is exactly one of: closed with its decision, held by one person, or queued (perhaps ringing).
        private void AssertStates(RoutingStep step, Actor who, Dictionary<string, HandoffCase> before, Dictionary<string, HandoffCase> after)
        {
            foreach (var (id, c) in after)
            {
                var previous = before.GetValueOrDefault(id);
                if (!c.Status.IsOpen())
                {
                    Assert.NotNull(c.Decision);
                    Assert.Null(c.Offer);
                    Assert.Null(c.ExpiresAt);
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
                    Assert.Contains(owner.Id, _people.Select(static p => p.Id));
                    if (previous?.AssignedTo is { } earlier && earlier.Id != owner.Id)
                    {
                        // Never from one owner to another in one step, but by handing it on: the first lets go (or
                        // decides) before anyone else holds it.
                        Assert.True(step.Op is RoutingOp.Reassign or RoutingOp.TransferToPerson && owner.Id == who.Id, $"{step} moved {id} from {earlier.Name} to {owner.Name}.");
                    }

                    if (previous is { AssignedTo: null } && step.Op is RoutingOp.Advance or RoutingOp.Drain)
                    {
                        // Time passing gives a case to nobody but the supervisor of its team, by a supervisor rung.
                        Assert.Equal((_supervisors[c.Evaluation.Team].Id, CaseStatus.Escalated), (owner.Id, c.Status));
                    }
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

                AssertTakeover(step, who, previous, c);
                AssertApprovals(c);
                AssertSlaKept(previous, c);
            }
        }

        // An SLA's instants are fixed at submission, whatever moves the case (an overflow rung, a transfer), and what has
        // happened on its clock stays happened.
        private static void AssertSlaKept(HandoffCase? previous, HandoffCase c)
        {
            if (previous?.Sla is not { } was)
            {
                return;
            }

            var sla = c.Sla;
            Assert.NotNull(sla);
            Assert.Equal((was.WarnAt, was.DueAt), (sla.WarnAt, sla.DueAt));
            Assert.Equal(was.Ladder.Select(static r => (r.At, r.Action)), sla.Ladder.Select(static r => (r.At, r.Action)));
            Assert.True(was.WarnedAt is null || was.WarnedAt == sla.WarnedAt);
            Assert.True(was.BreachedAt is null || was.BreachedAt == sla.BreachedAt);
            Assert.All(was.Ladder.Zip(sla.Ladder), static pair => Assert.True(pair.First.DoneAt is null || pair.First.DoneAt == pair.Second.DoneAt));
        }

        // A conversation taken over is one person's, rings for nobody and never expires; it begins only by a takeover,
        // nothing on the SLA's clock happens to it, and it leaves that state only by closing or, back in the queue,
        // escalated, so the next person sees a customer is waiting.
        private static void AssertTakeover(RoutingStep step, Actor who, HandoffCase? previous, HandoffCase c)
        {
            if (c.Status == CaseStatus.TakenOver)
            {
                Assert.Equal(Actor.UserKind, c.AssignedTo?.Kind);
                Assert.Null(c.Offer);
                Assert.Null(c.ExpiresAt);
                if (previous is { Status: CaseStatus.TakenOver })
                {
                    Assert.Equal(previous.Sla, c.Sla);
                }
                else
                {
                    Assert.True(step.Op == RoutingOp.TakeOver && c.AssignedTo!.Id == who.Id, $"{step} made {c.Id} taken over.");
                }
            }
            else if (previous is { Status: CaseStatus.TakenOver } && c.Status.IsOpen())
            {
                Assert.Equal((CaseStatus.Escalated, null), (c.Status, c.AssignedTo?.Id));
            }
        }

        // Two approvals: distinct people, each approving, short of the count while the case is open.
        private static void AssertApprovals(HandoffCase c)
        {
            var needed = CaseTransitions.ApprovalsNeeded(c);
            var approvals = c.Approvals ?? [];
            Assert.Equal(approvals.Count, approvals.Select(static a => a.DecidedBy?.Id).Distinct().Count());
            Assert.All(approvals, static a => Assert.Equal(Verdict.Approve, a.Verdict));
            if (c.Status.IsOpen())
            {
                Assert.True(approvals.Count < needed, $"{c.Id} is open with {approvals.Count} of {needed} approvals.");
            }
            else if (c.Status == CaseStatus.Approved && c.Decision is { TimedOut: false })
            {
                Assert.Equal(needed == 1 ? 0 : needed, approvals.Count);
            }
        }

        // Nothing raises a person's load above their capacity: not an accepted offer, a claim, a takeover, a
        // reassignment, a transfer or a supervisor rung. Only a lowered capacity leaves someone above it, and then
        // their load does not grow.
        private void AssertCapacity(
            RoutingStep step, Dictionary<string, HandoffCase> after, Dictionary<string, int> before, Dictionary<string, int> capacities)
        {
            var loads = Loads(after);
            foreach (var person in _people)
            {
                var load = loads.GetValueOrDefault(person.Id);
                Assert.True(
                    load <= capacities[person.Id] || load <= before.GetValueOrDefault(person.Id),
                    $"{step} took {person.Name} from a load of {before.GetValueOrDefault(person.Id)} to {load}, over their capacity of {capacities[person.Id]}.");
            }
        }

        // What the store says is due next (every workspace, but earlier sequences left nothing due) is what this
        // workspace's cases say: closed cases have nothing due, a taken-over one no SLA event and no expiry.
        private async Task AssertDueTimesAsync(Dictionary<string, HandoffCase> cases, bool drained)
        {
            var open = cases.Values.Where(static c => c.Status.IsOpen()).ToList();
            var sla = open.Where(static c => c.Status != CaseStatus.TakenOver).Min(static c => c.Sla?.NextAt);
            var offer = open.Select(static c => Earliest(c.Offer?.ExpiresAt, c.AssignedTo is null && c.IsLive() ? c.LiveUntil : null)).Min();
            var expiry = open.Min(static c => c.ExpiresAt);
            if (_leftDue)
            {
                return;
            }

            Assert.Equal(
                (sla, offer, expiry),
                (await _store.GetNextSlaEventAsync(Ct), await _store.GetNextOfferDueAsync(Ct), await _store.GetNextExpiryAsync(Ct)));
            if (drained)
            {
                Assert.Equal((null, null, null), (sla, offer, expiry));
            }
        }

        private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

        private Dictionary<string, int> Loads(Dictionary<string, HandoffCase> cases)
        {
            var loads = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var c in cases.Values)
            {
                if (c.Status.IsOpen() && c.AssignedTo is { } holder)
                {
                    loads[holder.Id] = loads.GetValueOrDefault(holder.Id) + _weights.Of(c.IsLive());
                }
            }

            return loads;
        }
    }
}
