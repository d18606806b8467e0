using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Routing;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private static readonly TimeoutEffect[] TimeoutEffects = [TimeoutEffect.Reject, TimeoutEffect.Approve, TimeoutEffect.Escalate];
    private static readonly BreachAction[] BreachActions = [BreachAction.RaisePriority, BreachAction.Overflow, BreachAction.Supervisor, BreachAction.Timeout];

    private static readonly RoutingRequirements TwoApprovals =
        new([], null, HandoffMode.Queue, null, 0.8, [], TimeSpan.FromMinutes(1), new ApprovalRule(2, null));

    /// <summary>
    /// One sequence in its own workspace: three people with capacities 1, 2 and 3, and two teams — support (push),
    /// which overflows to tier-2 and is supervised by the third person, and tier-2, supervised by the second.
    /// </summary>
    private sealed partial class RoutingRun
    {
        /// <summary>After a sequence: a day passes, so every offer lapses, every expiry and SLA event happens, every live wait ends.</summary>
        public static readonly RoutingStep Drain = new(RoutingOp.Drain, 0, 0, 0, 0);

        private readonly StoreConformanceTests _tests;
        private readonly IHandoffStore _store;
        private readonly LoadWeights _weights;
        private readonly Dictionary<string, int> _seen;
        private readonly List<string> _caseIds = [];
        private Dictionary<string, HandoffCase> _cases = new(StringComparer.Ordinal);
        private Dictionary<string, int> _capacities = [];
        private readonly Dictionary<string, Actor> _supervisors = new(StringComparer.Ordinal);
        private Actor[] _people = [];
        private string _ws = "";
        private bool _leftDue;

        public RoutingRun(StoreConformanceTests tests, IHandoffStore store, DateTimeOffset start, LoadWeights weights, Dictionary<string, int> seen)
        {
            _tests = tests;
            _store = store;
            _weights = weights;
            _seen = seen;
            Now = start;
        }

        public DateTimeOffset Now { get; private set; }

        public async Task SetUpAsync()
        {
            // What an earlier sequence left due (one that failed, while shrinking) happens first, in its workspace. If
            // something stays due even so, that sequence failed for it: this one cannot tell its own due times from
            // those, and leaves them unchecked, so that shrinking keeps the sequence that failed rather than any later.
            await AdvanceAsync(TimeSpan.Zero, []);
            _leftDue = (await _store.GetNextSlaEventAsync(Ct), await _store.GetNextOfferDueAsync(Ct), await _store.GetNextExpiryAsync(Ct)) != (null, null, null);

            var suffix = Guid.NewGuid().ToString("N");
            _ws = (await _store.EnsureWorkspaceAsync($"props-{suffix}", Actor.Cli("ops"), Ct)).Id;
            await _store.SetRoutingSettingsAsync(_ws, RoutingSettings.Default with { QueuedWeight = _weights.Queued, LiveWeight = _weights.Live }, Alice, Ct);
            var people = new List<Actor>();
            for (var i = 0; i < 3; i++)
            {
                var user = await _store.AddUserAsync(NewUser(_ws, $"p{i}-{suffix}@example.com", name: $"Person {i}", teams: ["support", "tier-2"]) with { Capacity = i + 1 }, Alice, Ct);
                people.Add(new Actor(Actor.UserKind, user!.Id, user.Name));
            }

            _people = [.. people];
            _capacities = await CapacitiesAsync();
            _supervisors["tier-2"] = _people[1];
            _supervisors["support"] = _people[2];
            Assert.Equal(TeamResultStatus.Done, (await _store.AddTeamAsync(new Team { WorkspaceId = _ws, Name = "tier-2", DisplayName = "Tier 2", SupervisorId = _people[1].Id }, Alice, Ct)).Status);
            Assert.Equal(TeamResultStatus.Done, (await _store.AddTeamAsync(
                new Team { WorkspaceId = _ws, Name = "support", DisplayName = "Support", OverflowTeam = "tier-2", SupervisorId = _people[2].Id }, Alice, Ct)).Status);
        }

        public async Task StepAsync(RoutingStep step)
        {
            // Nothing but the steps writes to the workspace, so what the last step read back is the state before this one.
            var before = _cases;
            var capacities = _capacities;
            var loadsBefore = Loads(before);
            var current = Pick(step, before);
            // Mostly the person an offer rings for answers it, and the holder lets go, decides, replies, hands back or
            // hands on: a random person would rarely be the one, and the sequences would try little but refusals.
            var likely = step.Shape % 4 == 0 ? null : step.Op switch
            {
                RoutingOp.Accept or RoutingOp.Decline => current?.Offer?.To,
                RoutingOp.Release or RoutingOp.Message or RoutingOp.HandBack => current?.AssignedTo,
                // Now and then an offer rings for whoever has the least room, so that accepting it meets the capacity check.
                RoutingOp.Offer when step.Shape % 4 == 1 => _people.MaxBy(p => loadsBefore.GetValueOrDefault(p.Id) - capacities[p.Id]),
                // The holder decides; on a queued case with an approval, mostly someone who has not approved it yet.
                RoutingOp.Decide => current?.AssignedTo ?? NotYetApproved(step, current),
                _ => null,
            };
            var who = likely is null ? _people[step.Person] : _people.First(p => p.Id == likely.Id);
            var update = await ApplyAsync(step, who, current, before, capacities, loadsBefore);

            if (update is not null)
            {
                Count($"{step.Op} {update.Status}");
            }

            if (update is { Status: not CaseUpdateStatus.Updated })
            {
                // A refused change changes nothing.
                Assert.NotEqual(CaseUpdateStatus.NotFound, update.Status);
                AssertSameCase(current!, await _store.GetCaseAsync(_ws, current!.Id, Ct));
            }

            var after = _cases = await ReadAsync();
            if (step.Op == RoutingOp.Capacity)
            {
                _capacities = await CapacitiesAsync();
            }

            if (step.Op == RoutingOp.Presence)
            {
                // Presence decides who is offered work, never who holds it.
                Assert.All(before, pair => AssertSameCase(pair.Value, after[pair.Key]));
            }

            AssertStates(step, who, before, after);
            AssertCapacity(step, after, loadsBefore, _capacities);
            await AssertDueTimesAsync(after, step.Op == RoutingOp.Drain);
        }

        public async Task AssertAuditReplaysAsync()
        {
            foreach (var (id, stored) in await ReadAsync())
            {
                AssertReplays(await _store.GetCaseHistoryAsync(_ws, id, Ct), stored);
            }
        }

        private async Task<CaseUpdate?> ApplyAsync(
            RoutingStep step, Actor who, HandoffCase? current, Dictionary<string, HandoffCase> before, Dictionary<string, int> capacities, Dictionary<string, int> loads)
        {
            // A reviewer hands on what they hold (heldBy: mostly its holder, sometimes someone else); a supervisor, any
            // open case (no heldBy).
            var handing = step.Shape % 3 != 0 && current?.AssignedTo is { } holder ? _people.First(p => p.Id == holder.Id) : _people[step.Value % 3];
            var heldBy = step.Shape % 4 == 0 ? null : handing.Id;
            switch (step.Op)
            {
                case RoutingOp.Submit:
                    _caseIds.Add((await _tests.CreateAsync(_store, Submission(step))).Id);
                    return null;
                case RoutingOp.Offer when current is not null:
                    return await _store.OfferCaseAsync(_ws, current.Id, who, Now, TimeSpan.FromSeconds(1 + step.Value), Ct);
                case RoutingOp.Accept when current is not null:
                    var limit = new CapacityLimit(capacities[who.Id], _weights.Queued, _weights.Live);
                    var accepted = await _store.AcceptOfferAsync(_ws, current.Id, who, Now, limit, Ct);
                    AssertAcceptAnswered(current, who, accepted, loads.GetValueOrDefault(who.Id), limit.Capacity);
                    return accepted;
                case RoutingOp.Decline when current is not null:
                    return await _store.DeclineOfferAsync(_ws, current.Id, who, Now, Ct);
                case RoutingOp.Claim when current is not null:
                    return await _store.ClaimCaseAsync(_ws, current.Id, who, Now, Ct);
                case RoutingOp.Release when current is not null:
                    return await _store.ReleaseCaseAsync(_ws, current.Id, who, Now, Ct);
                case RoutingOp.Decide when current is not null:
                    var approve = step.Value % 4 != 0;
                    var decided = await _store.DecideCaseAsync(_ws, current.Id, DecisionBy(who, Now, approve ? Verdict.Approve : Verdict.Reject),
                        approve ? CaseStatus.Approved : CaseStatus.Rejected, Ct);
                    if (decided is { Status: CaseUpdateStatus.Updated, Case: { } c })
                    {
                        Count(c.Status.IsOpen() ? "approval" : c.Approvals is { Count: 2 } ? "approved by two" : "decided");
                    }

                    return decided;
                case RoutingOp.TakeOver when current is not null:
                    return await _store.TakeOverCaseAsync(_ws, current.Id, who, Now, Ct);
                case RoutingOp.Message when current is not null:
                    var role = (CaseMessageRole)(step.Value % 3);
                    return await _store.AddCaseMessageAsync(_ws, current.Id, role, $"Message {step.Value} at {Now:O}", role == CaseMessageRole.Person ? who : Agent, Now, Ct);
                case RoutingOp.HandBack when current is not null:
                    return await _store.HandBackCaseAsync(_ws, current.Id, who, "Sorted out the address; carry on with the refund.", Now, Ct);
                case RoutingOp.Reassign when current is not null:
                    return AssertGivenTo(who, await _store.ReassignCaseAsync(_ws, current.Id, who, _supervisors["support"], "property", Now, cancellationToken: Ct));
                case RoutingOp.TransferToPerson when current is not null:
                    return AssertGivenTo(who, await _store.TransferCaseAsync(_ws, current.Id, who, null, handing, "property", Now, heldBy, Ct));
                case RoutingOp.TransferToTeam when current is not null:
                    // Mostly to the other team; sometimes to its own, as a transfer sent twice does.
                    var team = (current.Evaluation.Team == "support") == (step.Shape % 5 != 0) ? "tier-2" : "support";
                    var transferred = await _store.TransferCaseAsync(_ws, current.Id, null, team, handing, null, Now, heldBy, Ct);
                    if (transferred is { Status: CaseUpdateStatus.Updated, Case: { } moved })
                    {
                        // The new team's queue, unassigned, ringing for nobody, passed over by nobody.
                        Assert.Equal((team, null, null, null), (moved.Evaluation.Team, moved.AssignedTo, moved.Offer, moved.PassedOver));
                    }

                    return transferred;
                case RoutingOp.Advance:
                    await AdvanceAsync(TimeSpan.FromSeconds(1 + step.Value), before);
                    return null;
                case RoutingOp.Drain:
                    await AdvanceAsync(TimeSpan.FromDays(1), before);
                    return null;
                case RoutingOp.Capacity:
                    Assert.NotNull(await _store.UpdateUserAsync(_ws, who.Id, new UserChanges { Capacity = 1 + (step.Value % 4) }, Alice, Ct));
                    return null;
                case RoutingOp.Presence:
                    Assert.NotNull(await _store.SetPresenceAsync(_ws, who.Id, (Presence)(step.Value % 3), who, Ct));
                    return null;
                default:
                    // An operation on a case before any was submitted.
                    return null;
            }
        }

        // Mostly a case the operation fits (a ringing one to answer, a held one to release, a taken-over one to hand
        // back), sometimes any: picking at random, the sequences would try little but refusals.
        private HandoffCase? Pick(RoutingStep step, Dictionary<string, HandoffCase> cases)
        {
            Func<HandoffCase, bool> fits = step.Op switch
            {
                RoutingOp.Accept or RoutingOp.Decline => static c => c.Offer is not null,
                RoutingOp.Offer => c => c.Status.IsOpen() && c.AssignedTo is null && !(c.Offer?.ExpiresAt > Now),
                RoutingOp.Claim or RoutingOp.TakeOver => static c => c.Status.IsOpen() && c.AssignedTo is null,
                RoutingOp.Release or RoutingOp.TransferToPerson => static c => c.Status.IsOpen() && c.AssignedTo is not null,
                RoutingOp.TransferToTeam => static c => c.Status is CaseStatus.Pending or CaseStatus.Assigned or CaseStatus.Escalated,
                RoutingOp.Message or RoutingOp.HandBack => static c => c.Status == CaseStatus.TakenOver,
                // Two thirds of the decisions go to a case that has an approval and needs another, when there is one.
                RoutingOp.Decide => c => c.Status.IsOpen() && (step.Shape % 3 == 0 || c.Approvals is not null),
                _ => static c => c.Status.IsOpen(),
            };
            var fitting = step.Shape % 8 == 0 ? [] : _caseIds.Where(id => fits(cases[id])).ToList();
            var among = fitting.Count > 0 ? fitting : _caseIds;
            return among.Count == 0 ? null : cases[among[step.Case % among.Count]];
        }

        // Someone who has not approved the case yet, from the step's person on; null for a case with no approval.
        private Actor? NotYetApproved(RoutingStep step, HandoffCase? c) =>
            c?.Approvals is not { } approvals ? null
            : Enumerable.Range(0, _people.Length).Select(i => _people[(step.Person + i) % _people.Length])
                .FirstOrDefault(p => approvals.All(a => a.DecidedBy?.Id != p.Id));

        // Some cases expire, some are live, some need two approvals, half have an SLA whose warning, due time and ladder
        // fall within the sequence (seconds apart, as Advance moves time by up to a minute).
        private HandoffCase Submission(RoutingStep step)
        {
            var c = _tests.NewCase(_ws, expiresAt: step.Value % 4 == 1 ? Now.AddSeconds(step.Value) : null, onTimeout: TimeoutEffects[step.Value % 3]);
            return c with
            {
                CreatedAt = Now,
                UpdatedAt = Now,
                LiveUntil = step.Value % 3 == 0 ? Now.AddSeconds(20 + step.Value) : null,
                Evaluation = step.Value % 5 < 3 ? c.Evaluation with { Routing = TwoApprovals } : c.Evaluation,
                Sla = (step.Shape & 1) == 0 ? null : Sla(step.Shape),
            };
        }

        private CaseSla Sla(int shape)
        {
            var warn = Now.AddSeconds(((shape >> 1) & 3) * 10);
            var due = warn.AddSeconds(((shape >> 3) & 1) * 15);
            var rungs = new List<SlaRung>();
            for (var i = 0; i < BreachActions.Length; i++)
            {
                if ((shape >> (4 + i) & 1) == 1)
                {
                    rungs.Add(new SlaRung(due.AddSeconds(10 * (rungs.Count + 1)), BreachActions[i]));
                }
            }

            return new CaseSla { WarnAt = warn, DueAt = due, Ladder = rungs };
        }

        // What the server's workers do when time passes, in every workspace: offers lapse, cases expire, live waits end
        // in the queue, SLA events and ladder rungs fire.
        private async Task AdvanceAsync(TimeSpan by, Dictionary<string, HandoffCase> before)
        {
            Now += by;
            Count("lapsed", (await _store.LapseDueOffersAsync(Now, 1000, Ct)).Count(c => c.WorkspaceId == _ws));
            Count("expired", (await _store.ExpireDueCasesAsync(Now, 1000, Ct)).Count(c => c.WorkspaceId == _ws));
            foreach (var live in await _store.ListLiveCasesDueAsync(Now, 1000, Ct))
            {
                Assert.Equal(CaseUpdateStatus.Updated, (await _store.FallBackLiveCaseAsync(live.WorkspaceId, live.Id, Now, null, "property", Ct)).Status);
                Count("fell back", live.WorkspaceId == _ws ? 1 : 0);
            }

            foreach (var changed in await _store.RunDueSlaEventsAsync(Now, 1000, Ct))
            {
                if (before.GetValueOrDefault(changed.Id) is { Sla: { } was } previous)
                {
                    CountSla(previous, was, changed);
                }
            }
        }

        // Which SLA events and rungs the sequences reached (a rung that changed nothing is counted as skipped).
        private void CountSla(HandoffCase previous, CaseSla was, HandoffCase changed)
        {
            var sla = changed.Sla!;
            Count("sla warning", was.WarnedAt is null && sla.WarnedAt is not null ? 1 : 0);
            Count("sla breach", was.BreachedAt is null && sla.BreachedAt is not null ? 1 : 0);
            for (var i = 0; i < sla.Ladder.Count; i++)
            {
                if (was.Ladder[i].DoneAt is null && sla.Ladder[i].DoneAt is not null)
                {
                    var action = sla.Ladder[i].Action;
                    var acted = action switch
                    {
                        BreachAction.RaisePriority => changed.Evaluation.Priority > previous.Evaluation.Priority,
                        BreachAction.Overflow => changed.Evaluation.Team != previous.Evaluation.Team,
                        BreachAction.Supervisor => previous.AssignedTo is null && changed.AssignedTo is not null,
                        _ => !changed.Status.IsOpen() || changed.Status != previous.Status,
                    };
                    Count(acted ? $"sla {JsonName(action)}" : "sla skipped");
                }
            }
        }

        private static string JsonName(BreachAction action) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(action.ToString());

        private void Count(string what, int times = 1) => _seen[what] = _seen.GetValueOrDefault(what) + times;

        private async Task<Dictionary<string, int>> CapacitiesAsync() =>
            (await _store.ListUsersAsync(_ws, Ct)).ToDictionary(static u => u.Id, static u => u.Capacity, StringComparer.Ordinal);

        // One query for the whole workspace (a sequence submits at most 40 cases): the steps read it twice each.
        private async Task<Dictionary<string, HandoffCase>> ReadAsync()
        {
            var page = await _store.ListCasesAsync(_ws, new CaseQuery(Limit: 200), Ct);
            Assert.Null(page.NextCursor);
            var cases = page.Items.ToDictionary(static c => c.Id, StringComparer.Ordinal);
            Assert.Equal(_caseIds.Order(StringComparer.Ordinal), cases.Keys.Order(StringComparer.Ordinal));
            return cases;
        }
    }
}
