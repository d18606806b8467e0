using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private static readonly DateTimeOffset SlaWarn = Start.AddMinutes(48);
    private static readonly DateTimeOffset SlaDue = Start.AddHours(1);

    /// <summary>A pending case due an hour after <see cref="Start"/>, warning at 48 minutes, with <paramref name="ladder"/> (rung at due + minutes).</summary>
    private HandoffCase CaseWithSla(string workspaceId, string team = "support", params (int Minutes, BreachAction Action)[] ladder) =>
        NewCase(workspaceId, team: team) with
        {
            Sla = new CaseSla
            {
                WarnAt = SlaWarn,
                DueAt = SlaDue,
                Ladder = [.. ladder.Select(static r => new SlaRung(SlaDue.AddMinutes(r.Minutes), r.Action))],
            },
        };

    [Fact]
    public virtual async Task GetNextSlaEvent_OpenCasesWithAnSla_IsTheEarliestWarning()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        Assert.Null(await store.GetNextSlaEventAsync(Ct));
        await CreateAsync(store, NewCase(workspace.Id));
        Assert.Null(await store.GetNextSlaEventAsync(Ct));

        var withSla = await CreateAsync(store, CaseWithSla(workspace.Id));

        Assert.Equal(SlaWarn, await store.GetNextSlaEventAsync(Ct));
        AssertSameCase(withSla, await store.GetCaseAsync(workspace.Id, withSla.Id, Ct));
    }

    [Fact]
    public virtual async Task RunDueSlaEvents_AtTheWarning_LogsItOnceAndMovesToTheDueTime()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, CaseWithSla(workspace.Id));
        Assert.Empty(await store.RunDueSlaEventsAsync(SlaWarn.AddTicks(-1), 10, Ct));

        var warned = Assert.Single(await store.RunDueSlaEventsAsync(SlaWarn, 10, Ct));

        Assert.Equal(SlaWarn, warned.Sla!.WarnedAt);
        Assert.Null(warned.Sla.BreachedAt);
        Assert.Equal(CaseStatus.Pending, warned.Status);
        AssertSameCase(warned, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
        Assert.Empty(await store.RunDueSlaEventsAsync(SlaWarn.AddMinutes(1), 10, Ct));
        Assert.Equal(SlaDue, await store.GetNextSlaEventAsync(Ct));
        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        Assert.Equal([AuditData.CaseCreated, AuditData.CaseSlaWarning], history.Select(static e => e.Action));
        Assert.Equal(Actor.SystemKind, history[1].ActorKind);
    }

    [Fact]
    public virtual async Task RunDueSlaEvents_PastTheDueTimeWithNoLadder_WarnsAndBreachesThenNothingIsLeft()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, CaseWithSla(workspace.Id));

        var breached = Assert.Single(await store.RunDueSlaEventsAsync(SlaDue.AddMinutes(5), 10, Ct));

        Assert.Equal(SlaDue.AddMinutes(5), breached.Sla!.BreachedAt);
        Assert.Null(await store.GetNextSlaEventAsync(Ct));
        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        Assert.Equal([AuditData.CaseCreated, AuditData.CaseSlaWarning, AuditData.CaseSlaBreached], history.Select(static e => e.Action));
        AssertReplays(history, breached);
    }

    [Fact]
    public virtual async Task RunDueSlaEvents_TheWholeLadder_FiresEachRungOnceInOrder()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var lead = await store.AddUserAsync(NewUser(workspace.Id, "lead@example.com", UserRole.Supervisor), Alice, Ct);
        await store.AddTeamAsync(new Team { WorkspaceId = workspace.Id, Name = "tier-2", DisplayName = "Tier 2", SupervisorId = lead!.Id }, Alice, Ct);
        await store.AddTeamAsync(new Team { WorkspaceId = workspace.Id, Name = "support", DisplayName = "Support", OverflowTeam = "tier-2" }, Alice, Ct);
        var created = await CreateAsync(store, CaseWithSla(
            workspace.Id, "support",
            (0, BreachAction.RaisePriority), (30, BreachAction.Overflow), (60, BreachAction.Supervisor), (240, BreachAction.Timeout)) with { OnTimeout = TimeoutEffect.Escalate });

        var raised = Assert.Single(await store.RunDueSlaEventsAsync(SlaDue, 10, Ct));
        Assert.Equal(Priority.Urgent, raised.Evaluation.Priority);
        Assert.Equal(SlaDue.AddMinutes(30), await store.GetNextSlaEventAsync(Ct));
        Assert.Empty(await store.RunDueSlaEventsAsync(SlaDue.AddMinutes(29), 10, Ct));

        var overflowed = Assert.Single(await store.RunDueSlaEventsAsync(SlaDue.AddMinutes(30), 10, Ct));
        Assert.Equal("tier-2", overflowed.Evaluation.Team);
        Assert.Equal(SlaDue, overflowed.Sla!.DueAt);
        Assert.Single((await store.ListCasesAsync(workspace.Id, new CaseQuery { Team = "tier-2" }, Ct)).Items);

        var supervised = Assert.Single(await store.RunDueSlaEventsAsync(SlaDue.AddMinutes(60), 10, Ct));
        Assert.Equal((CaseStatus.Escalated, lead.Id), (supervised.Status, supervised.AssignedTo?.Id));

        var timedOut = Assert.Single(await store.RunDueSlaEventsAsync(SlaDue.AddMinutes(240), 10, Ct));
        Assert.Equal(CaseStatus.Escalated, timedOut.Status);
        Assert.Null(await store.GetNextSlaEventAsync(Ct));
        Assert.Empty(await store.RunDueSlaEventsAsync(SlaDue.AddDays(10), 10, Ct));

        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        Assert.Equal(
            [AuditData.CaseCreated, AuditData.CaseSlaWarning, AuditData.CaseSlaBreached, AuditData.CaseSlaStep, AuditData.CaseSlaStep, AuditData.CaseSlaStep, AuditData.CaseExpired],
            history.Select(static e => e.Action));
        Assert.Equal(
            ["raisePriority", "overflow", "supervisor"],
            history.Where(static e => e.Action == AuditData.CaseSlaStep).Select(static e => JsonDocument.Parse(e.Data).RootElement.GetProperty("step").GetString()));
        Assert.Equal("support", JsonDocument.Parse(history[4].Data).RootElement.GetProperty("fromTeam").GetString());
        AssertReplays(history, timedOut);
    }

    [Fact]
    public virtual async Task RunDueSlaEvents_RungsWithNothingToActOn_ChangeNothingButSaySo()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, CaseWithSla(
            workspace.Id, "nowhere", (0, BreachAction.Overflow), (0, BreachAction.Supervisor)));

        var after = Assert.Single(await store.RunDueSlaEventsAsync(SlaDue, 10, Ct));

        Assert.Equal(("nowhere", CaseStatus.Pending, (Actor?)null), (after.Evaluation.Team, after.Status, after.AssignedTo));
        Assert.All(after.Sla!.Ladder, static r => Assert.Equal(SlaDue, r.DoneAt));
        var steps = (await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct)).Where(static e => e.Action == AuditData.CaseSlaStep).ToList();
        Assert.Equal(
            ["the team has no overflow team", "the team has no supervisor"],
            steps.Select(static e => JsonDocument.Parse(e.Data).RootElement.GetProperty("skipped").GetString()));
    }

    [Fact]
    public virtual async Task RunDueSlaEvents_SupervisorRungOnAClaimedCase_LeavesItWithItsHolder()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var lead = await store.AddUserAsync(NewUser(workspace.Id, "lead@example.com", UserRole.Supervisor), Alice, Ct);
        await store.AddTeamAsync(new Team { WorkspaceId = workspace.Id, Name = "support", DisplayName = "Support", SupervisorId = lead!.Id }, Alice, Ct);
        var created = await CreateAsync(store, CaseWithSla(workspace.Id, "support", (0, BreachAction.Supervisor)));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Bob, Start, Ct);

        var after = Assert.Single(await store.RunDueSlaEventsAsync(SlaDue, 10, Ct));

        Assert.Equal((Bob.Id, CaseStatus.Escalated), (after.AssignedTo?.Id, after.Status));
        AssertReplays(await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct), after);
    }

    [Fact]
    public virtual async Task RunDueSlaEvents_TimeoutRungThatRejects_ClosesTheCaseAndStopsTheLadder()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, CaseWithSla(workspace.Id, "support", (0, BreachAction.Timeout), (10, BreachAction.RaisePriority)));

        var after = Assert.Single(await store.RunDueSlaEventsAsync(SlaDue.AddHours(1), 10, Ct));

        Assert.Equal(CaseStatus.Rejected, after.Status);
        Assert.True(after.Decision!.TimedOut);
        Assert.Equal(Priority.High, after.Evaluation.Priority);
        Assert.Null(after.Sla!.Ladder[1].DoneAt);
        Assert.Null(await store.GetNextSlaEventAsync(Ct));
        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        Assert.Equal("timeout", JsonDocument.Parse(history[^1].Data).RootElement.GetProperty("slaStep").GetString());
        AssertReplays(history, after);
    }

    [Fact]
    public virtual async Task RunDueSlaEvents_ClosedCasesAndOtherWorkspaces_AreHandledApart()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.Cli("ops"), Ct);
        var decided = await CreateAsync(store, CaseWithSla(workspace.Id, "support", (0, BreachAction.RaisePriority)));
        await store.DecideCaseAsync(workspace.Id, decided.Id, DecisionBy(Alice, Start.AddMinutes(1)), CaseStatus.Approved, Ct);
        var theirs = await CreateAsync(store, CaseWithSla(other.Id, "support", (0, BreachAction.RaisePriority)));
        var ours = await CreateAsync(store, CaseWithSla(workspace.Id, "support", (0, BreachAction.RaisePriority)) with { Sla = null });

        var changed = Assert.Single(await store.RunDueSlaEventsAsync(SlaDue, 10, Ct));

        Assert.Equal(theirs.Id, changed.Id);
        Assert.Equal(Priority.Urgent, changed.Evaluation.Priority);
        var stillDecided = await store.GetCaseAsync(workspace.Id, decided.Id, Ct);
        Assert.Equal((CaseStatus.Approved, Priority.High, (DateTimeOffset?)null), (stillDecided!.Status, stillDecided.Evaluation.Priority, stillDecided.Sla!.WarnedAt));
        Assert.Equal(2, (await store.GetCaseHistoryAsync(workspace.Id, decided.Id, Ct)).Count);
        Assert.Single(await store.GetCaseHistoryAsync(workspace.Id, ours.Id, Ct));
    }

    [Fact]
    public virtual async Task RunDueSlaEvents_MoreDueThanMax_TakesTheEarliestFirst()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var late = await CreateAsync(store, CaseWithSla(workspace.Id) with { Sla = new CaseSla { WarnAt = SlaWarn.AddMinutes(1), DueAt = SlaDue } });
        var early = await CreateAsync(store, CaseWithSla(workspace.Id));

        Assert.Equal(early.Id, Assert.Single(await store.RunDueSlaEventsAsync(SlaDue.AddMinutes(-1), 1, Ct)).Id);
        Assert.Equal(late.Id, Assert.Single(await store.RunDueSlaEventsAsync(SlaDue.AddMinutes(-1), 1, Ct)).Id);
        Assert.Empty(await store.RunDueSlaEventsAsync(SlaDue.AddMinutes(-1), 0, Ct));
    }
}
