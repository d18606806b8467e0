using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Statistics;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task ListApiKeys_ReturnsTheWorkspacesKeysRevokedTooNewestFirst()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var old = await store.AddApiKeyAsync(new NewApiKey(workspace.Id, "old", ApiKeyRole.Agent, "hash-1", Start), Alice, Ct);
        var sameTick = await store.AddApiKeyAsync(new NewApiKey(workspace.Id, "same tick", ApiKeyRole.Admin, "hash-2", Start), Alice, Ct);
        var newest = await store.AddApiKeyAsync(new NewApiKey(workspace.Id, "new", ApiKeyRole.Reviewer, "hash-3", Start.AddDays(1)), Alice, Ct);
        var elsewhere = await store.AddApiKeyAsync(new NewApiKey(other.Id, "theirs", ApiKeyRole.Agent, "hash-4", Start), Alice, Ct);
        await store.RevokeApiKeyAsync(workspace.Id, old.Id, Alice, Ct);

        var keys = await store.ListApiKeysAsync(workspace.Id, Ct);

        Assert.Equal([newest.Id, sameTick.Id, old.Id], keys.Select(k => k.Id));
        Assert.Equal(old with { RevokedAt = Start }, keys[2]);
        Assert.Equal([elsewhere], await store.ListApiKeysAsync(other.Id, Ct));
    }

    [Fact]
    public virtual async Task ListPolicies_ReturnsEveryVersionOfThatWorkspaceNewestFirst()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        Assert.Empty(await store.ListPoliciesAsync(workspace.Id, Ct));
        var v1 = await store.PublishPolicyAsync(workspace.Id, "rules: []", Alice, Ct);
        var theirs = await store.PublishPolicyAsync(other.Id, "rules: [y]", Bob, Ct);
        Time.Advance(TimeSpan.FromHours(1));
        var v2 = await store.PublishPolicyAsync(workspace.Id, "rules: [x]", Bob, Ct);

        Assert.Equal([v2, v1], await store.ListPoliciesAsync(workspace.Id, Ct));
        Assert.Equal([theirs], await store.ListPoliciesAsync(other.Id, Ct));
    }

    [Fact]
    public virtual async Task ListOpenCases_MostUrgentFirstThenOldest()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var normal = await CreateAsync(store, CaseAt(workspace.Id, Priority.Normal, Start));
        var urgent = await CreateAsync(store, CaseAt(workspace.Id, Priority.Urgent, Start.AddMinutes(3)));
        var highLater = await CreateAsync(store, CaseAt(workspace.Id, Priority.High, Start.AddMinutes(2)));
        // Submitted after highLater but created earlier: age, not arrival, orders them.
        var highEarlier = await CreateAsync(store, CaseAt(workspace.Id, Priority.High, Start.AddMinutes(1)));
        // The same creation time as highEarlier: arrival breaks the tie.
        var highTie = await CreateAsync(store, CaseAt(workspace.Id, Priority.High, Start.AddMinutes(1)));
        var low = await CreateAsync(store, CaseAt(workspace.Id, Priority.Low, Start.AddMinutes(-5)));

        var inbox = await store.ListOpenCasesAsync(workspace.Id, null, 50, Ct);

        Assert.Equal([urgent.Id, highEarlier.Id, highTie.Id, highLater.Id, normal.Id, low.Id], inbox.Select(c => c.Id));
        AssertSameCase(urgent, inbox[0]);
        Assert.Equal([urgent.Id, highEarlier.Id], (await store.ListOpenCasesAsync(workspace.Id, null, 2, Ct)).Select(c => c.Id));
    }

    [Fact]
    public virtual async Task ListOpenCases_ListsPendingAssignedAndEscalatedButNeverClosedCases()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var pending = await CreateAsync(store, NewCase(workspace.Id));
        var assigned = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, assigned.Id, Alice, Start, Ct);
        var escalated = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start, onTimeout: TimeoutEffect.Escalate));
        var expiredRejected = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start));
        await store.ExpireDueCasesAsync(Start, 10, Ct);
        var decided = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, decided.Id, DecisionBy(Bob, Start), CaseStatus.Approved, Ct);
        var claimedThenDecided = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, claimedThenDecided.Id, Bob, Start, Ct);
        await store.DecideCaseAsync(workspace.Id, claimedThenDecided.Id, DecisionBy(Bob, Start, Verdict.Reject), CaseStatus.Rejected, Ct);
        await CreateAsync(store, NewCase(workspace.Id, status: CaseStatus.Approved));
        await CreateAsync(store, NewCase(workspace.Id, status: CaseStatus.Blocked));

        var inbox = await store.ListOpenCasesAsync(workspace.Id, null, 50, Ct);

        // The escalation raised its case to urgent, ahead of the others.
        Assert.Equal([escalated.Id, pending.Id, assigned.Id], inbox.Select(c => c.Id));
        Assert.Equal([CaseStatus.Escalated, CaseStatus.Pending, CaseStatus.Assigned], inbox.Select(c => c.Status));
        Assert.DoesNotContain(expiredRejected.Id, inbox.Select(c => c.Id));
    }

    [Fact]
    public virtual async Task ListOpenCases_ByTeams_ListsOnlyThoseTeamsOfThatWorkspace()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var support = await CreateAsync(store, NewCase(workspace.Id, team: "support"));
        var billing = await CreateAsync(store, NewCase(workspace.Id, team: "billing"));
        await CreateAsync(store, NewCase(workspace.Id, team: "legal"));
        var theirs = await CreateAsync(store, NewCase(other.Id, team: "support"));

        async Task<string[]> Inbox(string workspaceId, string[]? teams) =>
            [.. (await store.ListOpenCasesAsync(workspaceId, teams, 50, Ct)).Select(c => c.Id)];

        Assert.Equal([support.Id, billing.Id], await Inbox(workspace.Id, ["support", "billing", "nobody's"]));
        Assert.Equal([billing.Id], await Inbox(workspace.Id, ["billing"]));
        Assert.Empty(await Inbox(workspace.Id, []));
        Assert.Equal(3, (await Inbox(workspace.Id, null)).Length);
        Assert.Equal([theirs.Id], await Inbox(other.Id, ["support"]));
    }

    [Fact]
    public virtual async Task ListOpenCases_LimitOutOfRange_IsClampedToOneToTwoHundred()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(store, NewCase(workspace.Id));
        }

        Assert.Single(await store.ListOpenCasesAsync(workspace.Id, null, 0, Ct));
        Assert.Equal(3, (await store.ListOpenCasesAsync(workspace.Id, null, 100_000, Ct)).Count);
    }

    [Fact]
    public virtual async Task SearchAudit_ByText_MatchesActionSubjectActorOrDataIgnoringCase()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var key = await store.AddApiKeyAsync(new NewApiKey(workspace.Id, "Night <batch>", ApiKeyRole.Agent, "hash-1", Start), Alice, Ct);
        await store.PublishPolicyAsync(workspace.Id, "rules: []", Bob, Ct);
        var jose = await store.AddUserAsync(NewUser(workspace.Id, "jose@example.com", name: "José Ñúñez"), Alice, Ct);
        var c = await CreateAsync(store, NewCase(workspace.Id));

        async Task<string[]> Search(string? text) =>
            [.. (await store.SearchSealedAuditAsync(workspace.Id, new AuditQuery { Text = text }, Ct)).Select(e => e.Action)];

        Assert.Equal(["policy.published"], await Search("POLICY.pub"));
        Assert.Equal(["key.created"], await Search(key.Id.ToUpperInvariant()));
        Assert.Equal(["policy.published"], await Search("bob"));
        Assert.Equal(["key.created"], await Search("night <BATCH>"));
        Assert.Equal(["user.added"], await Search("josé ñÚñez"));
        Assert.Equal(["case.created"], await Search("BIG-refund"));
        Assert.Equal(["case.created"], await Search(c.Id));
        Assert.Empty(await Search("nothing like this"));
        Assert.Equal(["case.created", "user.added", "policy.published", "key.created", "workspace.created"], await Search("  "));
        Assert.Equal(5, (await Search(null)).Length);
        Assert.NotNull(jose);
    }

    [Fact]
    public virtual async Task SearchAudit_PageByPage_ReturnsEveryMatchOnceNewestFirst()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var expected = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            var c = await CreateAsync(store, NewCase(i % 3 == 0 ? other.Id : workspace.Id));
            var claim = await store.ClaimCaseAsync(c.WorkspaceId, c.Id, Alice, Start, Ct);
            Assert.Equal(CaseUpdateStatus.Updated, claim.Status);
            if (c.WorkspaceId == workspace.Id)
            {
                await store.SealAllAsync(Ct);
                expected.Add((await store.GetCaseHistoryAsync(workspace.Id, c.Id, Ct))[^1].Sequence);
            }
        }

        var found = new List<AuditEntry>();
        IReadOnlyList<AuditEntry> page;
        do
        {
            page = await store.SearchSealedAuditAsync(workspace.Id, new AuditQuery { Text = "claimed", Limit = 3, BeforeSequence = found.LastOrDefault()?.Sequence }, Ct);
            Assert.InRange(page.Count, 0, 3);
            found.AddRange(page);
        }
        while (page.Count > 0);

        Assert.Equal(Enumerable.Reverse(expected), found.Select(e => e.Sequence));
        Assert.All(found, e => Assert.Equal((workspace.Id, "case.claimed"), (e.WorkspaceId, e.Action)));
    }

    [Fact]
    public virtual async Task SearchAudit_OtherWorkspacesEntries_AreNeverFound()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        await store.PublishPolicyAsync(other.Id, "rules: []", Bob, Ct);

        Assert.Empty(await store.SearchSealedAuditAsync(workspace.Id, new AuditQuery { Text = "policy" }, Ct));
        Assert.Equal(["workspace.created"], (await store.SearchSealedAuditAsync(workspace.Id, new AuditQuery(), Ct)).Select(e => e.Action));
        Assert.Equal(2, (await store.SearchSealedAuditAsync(other.Id, new AuditQuery(), Ct)).Count);
    }

    [Fact]
    public virtual async Task SearchAudit_LimitOutOfRange_IsClampedToOneToTwoHundred()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        for (var i = 0; i < 3; i++)
        {
            await store.PublishPolicyAsync(workspace.Id, "rules: []", Bob, Ct);
        }

        Assert.Single(await store.SearchSealedAuditAsync(workspace.Id, new AuditQuery { Limit = 0 }, Ct));
        Assert.Equal(4, (await store.SearchSealedAuditAsync(workspace.Id, new AuditQuery { Limit = 100_000 }, Ct)).Count);
    }

    [Fact]
    public virtual async Task GetOverviewFacts_BeforeAnyRollUp_ReturnsEachCasesFactsSinceTheGivenTime()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        await CreateAsync(store, CaseAt(workspace.Id, Priority.Normal, Start.AddDays(-2)));
        await CreateAsync(store, CaseAt(other.Id, Priority.Normal, Start));
        var personDecided = await CreateAsync(store, CaseAt(workspace.Id, Priority.Normal, Start.AddMinutes(2)));
        await store.DecideCaseAsync(workspace.Id, personDecided.Id, DecisionBy(Bob, Start.AddMinutes(9), Verdict.Reject), CaseStatus.Rejected, Ct);
        var auto = await CreateAsync(store, CaseAt(workspace.Id, Priority.Normal, Start.AddDays(-1)) with
        {
            Status = CaseStatus.Approved,
            Evaluation = new Evaluation(Outcome.Auto, [], "support", Priority.Normal, 0.8, 3),
            Decision = Decisions.ByPolicy(personDecided.Content, Outcome.Auto, 3, Start.AddDays(-1)),
        });
        var blocked = await CreateAsync(store, CaseAt(workspace.Id, Priority.Normal, Start) with
        {
            Status = CaseStatus.Blocked,
            Evaluation = new Evaluation(Outcome.Block, [new Reason("fraud", "Looks like fraud")], "support", Priority.Normal, 0.8, 3),
            Decision = Decisions.ByPolicy(personDecided.Content, Outcome.Block, 3, Start),
        });
        var timedOut = await CreateAsync(store, CaseAt(workspace.Id, Priority.Normal, Start.AddMinutes(1)) with { ExpiresAt = Start.AddMinutes(30) });
        var escalatedThenDecided = await CreateAsync(store, CaseAt(workspace.Id, Priority.Normal, Start.AddMinutes(3)) with
        {
            // returning-customer fired too, but asked for no person (it only lowers the floor): it is not a rule that
            // sent the case to one. The other cases' reasons carry no outcome, as cases stored before it did; they count.
            Evaluation = new Evaluation(
                Outcome.Escalate,
                [new Reason("vip", "VIP customer", Outcome.Escalate), new Reason("returning-customer", "Returning customers get more autonomy", Outcome.Auto)],
                "support", Priority.Normal, 0.8, 3),
            ExpiresAt = Start.AddMinutes(30),
            OnTimeout = TimeoutEffect.Escalate,
        });
        await store.ExpireDueCasesAsync(Start.AddMinutes(30), 10, Ct);
        await store.DecideCaseAsync(workspace.Id, escalatedThenDecided.Id, DecisionBy(Alice, Start.AddHours(1)), CaseStatus.Approved, Ct);
        var open = await CreateAsync(store, CaseAt(workspace.Id, Priority.Normal, Start.AddMinutes(4)));

        var facts = await store.GetOverviewFactsAsync(workspace.Id, Start.AddDays(-1), Ct);

        Assert.Empty(facts.ClosedDays);
        Assert.Equal(0, facts.Position);
        string[] review = ["big-refund", "low-confidence"];
        string[] expected =
            [
                Facts(auto.CreatedAt, Outcome.Auto, CaseStatus.Approved, [], Verdict.Approve, false, false, auto.CreatedAt),
                Facts(blocked.CreatedAt, Outcome.Block, CaseStatus.Blocked, "fraud", Verdict.Reject, false, false, blocked.CreatedAt),
                Facts(timedOut.CreatedAt, Outcome.Review, CaseStatus.Rejected, review, Verdict.Reject, true, false, Start.AddMinutes(30)),
                Facts(personDecided.CreatedAt, Outcome.Review, CaseStatus.Rejected, review, Verdict.Reject, false, true, Start.AddMinutes(9)),
                Facts(escalatedThenDecided.CreatedAt, Outcome.Escalate, CaseStatus.Approved, "vip", Verdict.Approve, true, true, Start.AddHours(1)),
                Facts(open.CreatedAt, Outcome.Review, CaseStatus.Pending, review, null, false, false, null),
            ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), facts.Records.Select(Describe).Order(StringComparer.Ordinal));
        Assert.Single((await store.GetOverviewFactsAsync(other.Id, Start.AddDays(-1), Ct)).Records);
        Assert.Empty((await store.GetOverviewFactsAsync(workspace.Id, Start.AddHours(2), Ct)).Records);

        // Rolled up, the closed cases come as their days' totals and only the open one as a record; the numbers stay.
        var before = CaseStatistics.Compute(facts.ClosedDays, facts.Records, Start.AddHours(2), 3);
        await RollUpAllAsync(store);
        var rolledUp = await store.GetOverviewFactsAsync(workspace.Id, Start.AddDays(-1), Ct);

        Assert.Equal([expected[^1]], rolledUp.Records.Select(Describe));
        Assert.Equal([Day(Start.AddDays(-1)), Day(Start)], rolledUp.ClosedDays.Select(static d => d.Date));
        Assert.Equal([1, 4], rolledUp.ClosedDays.Select(static d => d.Counts.Submitted));
        Assert.Equal(await LastSequenceAsync(store), rolledUp.Position);
        AssertSameOverview(before, CaseStatistics.Compute(rolledUp.ClosedDays, rolledUp.Records, Start.AddHours(2), 3));
    }

    [Fact]
    public virtual async Task RollUpClosedCases_CountsACaseOnceWhenItClosesAndReadsItFromTheTailUntilThen()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var first = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, first.Id, DecisionBy(Bob, Start.AddMinutes(12)), CaseStatus.Approved, Ct);
        var second = await CreateAsync(store, NewCase(workspace.Id));
        await RollUpAllAsync(store);
        Assert.Equal(0, await store.SealAndRollUpAsync(10, Ct));

        // The second case closes after the roll-up: a record (from the tail) until the next roll-up, then part of its day.
        await store.DecideCaseAsync(workspace.Id, second.Id, DecisionBy(Bob, Start.AddMinutes(30), Verdict.Reject), CaseStatus.Rejected, Ct);
        var tail = await store.GetOverviewFactsAsync(workspace.Id, Start, Ct);
        Assert.Equal([CaseStatus.Rejected], tail.Records.Select(static r => r.Status));
        Assert.Equal(1, Assert.Single(tail.ClosedDays).Counts.Submitted);

        Assert.True(await store.SealAndRollUpAsync(10, Ct) > 0);
        var after = await store.GetOverviewFactsAsync(workspace.Id, Start, Ct);
        Assert.Empty(after.Records);
        var day = Assert.Single(after.ClosedDays);
        Assert.Equal(new CaseCounts(2, 0, 2, 0, 0), day.Counts);
        Assert.Equal(new Dictionary<Verdict, int> { [Verdict.Approve] = 1, [Verdict.Reject] = 1 }, day.DecisionsByVerdict.ToDictionary());
        Assert.Equal(new Dictionary<long, int> { [12 * 60] = 1, [30 * 60] = 1 }, day.TimesToDecision.Counts.ToDictionary());
        Assert.Equal(new Dictionary<string, int> { ["big-refund"] = 2, ["low-confidence"] = 2 }, day.EscalationsByRule.ToDictionary());
    }

    [Fact]
    public virtual async Task RollUpClosedCases_CasesClosedByAHandbackOrTheSlaLaddersTimeout_AreCountedWhenTheyClose()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var talked = await CreateAsync(store, NewCase(workspace.Id));
        await store.TakeOverCaseAsync(workspace.Id, talked.Id, Alice, Start.AddMinutes(1), Ct);
        await CreateAsync(store, CaseWithSla(workspace.Id, "support", (0, Core.Policy.BreachAction.Timeout)));
        await RollUpAllAsync(store);
        Assert.Empty((await store.GetOverviewFactsAsync(workspace.Id, Start.AddDays(-1), Ct)).ClosedDays);

        await store.HandBackCaseAsync(workspace.Id, talked.Id, Alice, "Sorted; say goodbye.", Start.AddMinutes(7), Ct);
        Assert.Single(await store.RunDueSlaEventsAsync(SlaDue.AddHours(1), 10, Ct));
        await RollUpAllAsync(store);

        var facts = await store.GetOverviewFactsAsync(workspace.Id, Start.AddDays(-1), Ct);
        Assert.Empty(facts.Records);
        var totals = new DayTotals(Day(Start));
        foreach (var day in facts.ClosedDays)
        {
            totals.Add(day);
        }

        Assert.Equal(new CaseCounts(2, 0, 2, 0, 1), totals.Counts);
        // The handback is a person's decision; the ladder's timeout is not.
        Assert.Equal(new Dictionary<Verdict, int> { [Verdict.HandBack] = 1 }, totals.DecisionsByVerdict.ToDictionary());
        Assert.Equal(1, totals.TimesToDecision.Count);
    }

    [Fact]
    public virtual async Task RollUpClosedCases_SmallBatchesRacingEachOther_CountEveryClosedCaseOnce()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        for (var i = 0; i < 30; i++)
        {
            var c = await CreateAsync(store, NewCase(i % 3 == 0 ? other.Id : workspace.Id));
            if (i % 2 == 0)
            {
                await store.DecideCaseAsync(c.WorkspaceId, c.Id, DecisionBy(Bob, Start.AddMinutes(i)), CaseStatus.Approved, Ct);
            }
        }

        // Two roll-ups at a time, three entries each, until the log is read to its end.
        while ((await Task.WhenAll(store.SealAndRollUpAsync(3, Ct), store.SealAndRollUpAsync(3, Ct))).Sum() > 0)
        {
        }

        var ours = await store.GetOverviewFactsAsync(workspace.Id, Start, Ct);
        var theirs = await store.GetOverviewFactsAsync(other.Id, Start, Ct);
        Assert.Equal(10, ours.ClosedDays.Sum(static d => d.Counts.Submitted));
        Assert.Equal(10, ours.Records.Count);
        Assert.Equal(5, theirs.ClosedDays.Sum(static d => d.Counts.Submitted));
        Assert.Equal(5, theirs.Records.Count);
        Assert.Equal(15, ours.ClosedDays.Concat(theirs.ClosedDays).Sum(static d => d.DecisionsByVerdict.Values.Sum()));
    }

    [Fact]
    public virtual async Task GetOverviewFacts_FeedCaseStatistics()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var decided = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, decided.Id, DecisionBy(Bob, Start.AddMinutes(12)), CaseStatus.Approved, Ct);
        await CreateAsync(store, NewCase(workspace.Id));

        var overview = await OverviewAsync(store, workspace.Id, Start.AddDays(-6), Start, 7);

        Assert.Equal(new CaseCounts(2, 0, 2, 0, 0), overview.Totals);
        Assert.Equal(new Dictionary<string, int> { ["big-refund"] = 2, ["low-confidence"] = 2 }, overview.EscalationsByRule);
        Assert.Equal(new Dictionary<Verdict, int> { [Verdict.Approve] = 1 }, overview.DecisionsByVerdict);
        Assert.Equal(TimeSpan.FromMinutes(12), overview.TimeToDecisionP90);
    }

    [Fact]
    public virtual async Task GetOverviewFacts_FeedCaseStatistics_WithOnlyPeoplesDecisionsCountedAsDecisions()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var byPerson = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, byPerson.Id, DecisionBy(Bob, Start.AddMinutes(12), Verdict.Reject), CaseStatus.Rejected, Ct);
        // The policy approves an auto case and rejects a blocked one the moment they arrive, as the server submits them.
        await CreateAsync(store, ByPolicy(NewCase(workspace.Id), Outcome.Auto, CaseStatus.Approved));
        await CreateAsync(store, ByPolicy(NewCase(workspace.Id), Outcome.Auto, CaseStatus.Approved));
        await CreateAsync(store, ByPolicy(NewCase(workspace.Id), Outcome.Block, CaseStatus.Blocked));
        await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(5), onTimeout: TimeoutEffect.Approve));
        await store.ExpireDueCasesAsync(Start.AddMinutes(5), 10, Ct);

        var overview = await OverviewAsync(store, workspace.Id, Start, Start, 1);

        Assert.Equal(new CaseCounts(Submitted: 5, Automated: 2, Escalated: 2, Blocked: 1, Expired: 1), overview.Totals);
        Assert.Equal(new Dictionary<Verdict, int> { [Verdict.Reject] = 1 }, overview.DecisionsByVerdict);
        Assert.Equal(TimeSpan.FromMinutes(12), overview.TimeToDecisionP50);
        Assert.Equal(TimeSpan.FromMinutes(12), overview.TimeToDecisionP90);
    }

    [Fact]
    public virtual async Task GetOverviewFacts_CasesWithAnSla_CarryTheirDueAndWarningTimes()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var met = await CreateAsync(store, CaseWithSla(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, met.Id, DecisionBy(Bob, Start.AddMinutes(12)), CaseStatus.Approved, Ct);
        // Ticks below a millisecond and an offset other than UTC, to show the instants come back exact.
        var odd = new CaseSla { WarnAt = Start.AddMinutes(40).AddTicks(1234).ToOffset(TimeSpan.FromHours(2)), DueAt = Start.AddMinutes(50).AddTicks(5678) };
        await CreateAsync(store, CaseWithSla(workspace.Id) with { Sla = odd });
        await CreateAsync(store, NewCase(workspace.Id));
        // The warning logged on the way leaves the times as they were fixed at submit.
        await store.RunDueSlaEventsAsync(Start.AddMinutes(45), 10, Ct);

        var facts = (await store.GetOverviewFactsAsync(workspace.Id, Start, Ct)).Records.OrderByDescending(static f => f.SlaDueAt);

        Assert.Equal(
            new (DateTimeOffset?, DateTimeOffset?)[] { (SlaDue, SlaWarn), (odd.DueAt, odd.WarnAt), (null, null) },
            facts.Select(static f => (f.SlaDueAt, f.SlaWarnAt)));
        var overview = await OverviewAsync(store, workspace.Id, Start, Start.AddMinutes(45), 1);
        Assert.Equal(new SlaAttainment(Met: 1, Missed: 0, AtRisk: 1, Breached: 0), overview.Sla);
    }

    private static HandoffCase ByPolicy(HandoffCase submitted, Outcome outcome, CaseStatus status) => submitted with
    {
        Status = status,
        Evaluation = submitted.Evaluation with { Outcome = outcome },
        Decision = Decisions.ByPolicy(submitted.Content, outcome, submitted.Evaluation.PolicyVersion, submitted.CreatedAt),
    };

    private HandoffCase CaseAt(string workspaceId, Priority priority, DateTimeOffset createdAt)
    {
        var c = NewCase(workspaceId);
        return c with { Evaluation = c.Evaluation with { Priority = priority }, CreatedAt = createdAt, UpdatedAt = createdAt };
    }

    // CaseRecord holds its rules in a list, which compares by reference; a string of them compares by value.
    private static string Facts(
        DateTimeOffset createdAt, Outcome outcome, CaseStatus status, IEnumerable<string> rules, Verdict? verdict, bool timedOut, bool byPerson, DateTimeOffset? decidedAt) =>
        Describe(new CaseRecord(createdAt, outcome, status, [.. rules], verdict, timedOut, byPerson, decidedAt));

    private static string Facts(
        DateTimeOffset createdAt, Outcome outcome, CaseStatus status, string rule, Verdict? verdict, bool timedOut, bool byPerson, DateTimeOffset? decidedAt) =>
        Facts(createdAt, outcome, status, [rule], verdict, timedOut, byPerson, decidedAt);

    // The overview as the page computes it; and the same once every closed case is rolled up, which must agree.
    private static async Task<Overview> OverviewAsync(IHandoffStore store, string workspaceId, DateTimeOffset since, DateTimeOffset now, int days)
    {
        var facts = await store.GetOverviewFactsAsync(workspaceId, since, Ct);
        var overview = CaseStatistics.Compute(facts.ClosedDays, facts.Records, now, days);
        await RollUpAllAsync(store);
        facts = await store.GetOverviewFactsAsync(workspaceId, since, Ct);
        AssertSameOverview(overview, CaseStatistics.Compute(facts.ClosedDays, facts.Records, now, days));
        return overview;
    }

    private static async Task RollUpAllAsync(IHandoffStore store)
    {
        while (await store.SealAndRollUpAsync(2, Ct) > 0)
        {
        }
    }

    private static async Task<long> LastSequenceAsync(IHandoffStore store) => (await store.ReadSealedAuditAsync(0, 10_000, Ct))[^1].Sequence;

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static void AssertSameOverview(Overview expected, Overview actual)
    {
        Assert.Equal(expected.Days, actual.Days);
        Assert.Equal(expected.Totals, actual.Totals);
        Assert.Equal(expected.EscalationsByRule.OrderBy(static p => p.Key), actual.EscalationsByRule.OrderBy(static p => p.Key));
        Assert.Equal(expected.DecisionsByVerdict.OrderBy(static p => p.Key), actual.DecisionsByVerdict.OrderBy(static p => p.Key));
        Assert.Equal((expected.TimeToDecisionP50, expected.TimeToDecisionP90), (actual.TimeToDecisionP50, actual.TimeToDecisionP90));
        Assert.Equal(expected.Sla, actual.Sla);
    }

    private static string Describe(CaseRecord r) =>
        $"{r.CreatedAt:O} {r.Outcome} {r.Status} [{string.Join(",", r.Rules)}] {r.Verdict} timedOut={r.TimedOut} person={r.DecidedByPerson} {r.DecidedAt:O}";
}
