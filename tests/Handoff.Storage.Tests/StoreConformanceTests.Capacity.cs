using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Storage.Tests;

// Every write that gives a person a case checks their capacity inside the write, as accepting an offer does.
public abstract partial class StoreConformanceTests
{
    private async Task<(IHandoffStore Store, Workspace Workspace, Actor Person)> PersonWithCapacityAsync(int capacity)
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var user = await store.AddUserAsync(NewUser(workspace.Id, "cap@example.com", name: "Cap Person") with { Capacity = capacity }, Alice, Ct);
        return (store, workspace, new Actor(Actor.UserKind, user!.Id, user.Name));
    }

    [Fact]
    public virtual async Task ClaimCase_ByAPersonAtCapacity_IsRefusedAndChangesNothing()
    {
        var (store, workspace, person) = await PersonWithCapacityAsync(1);
        var first = await CreateAsync(store, NewCase(workspace.Id));
        var second = await CreateAsync(store, NewCase(workspace.Id));
        Assert.Equal(CaseUpdateStatus.Updated, (await store.ClaimCaseAsync(workspace.Id, first.Id, person, Start, Ct)).Status);

        var refused = await store.ClaimCaseAsync(workspace.Id, second.Id, person, Start.AddSeconds(1), Ct);

        Assert.Equal(CaseUpdateStatus.OverCapacity, refused.Status);
        AssertSameCase(second, refused.Case);
        AssertSameCase(second, await store.GetCaseAsync(workspace.Id, second.Id, Ct));
        Assert.Equal([AuditData.CaseCreated], (await store.GetCaseHistoryAsync(workspace.Id, second.Id, Ct)).Select(static e => e.Action));
        // What they hold is theirs to keep working on; once they let it go, there is room again.
        Assert.Equal(CaseUpdateStatus.Updated, (await store.ClaimCaseAsync(workspace.Id, first.Id, person, Start.AddSeconds(2), Ct)).Status);
        await store.ReleaseCaseAsync(workspace.Id, first.Id, person, Start.AddSeconds(3), Ct);
        Assert.Equal(CaseUpdateStatus.Updated, (await store.ClaimCaseAsync(workspace.Id, second.Id, person, Start.AddSeconds(4), Ct)).Status);
    }

    [Fact]
    public virtual async Task ClaimCase_ManyAtOnceByOnePerson_NeverTakesThemOverCapacity()
    {
        var (store, workspace, person) = await PersonWithCapacityAsync(2);
        var cases = new List<HandoffCase>();
        for (var i = 0; i < 6; i++)
        {
            cases.Add(await CreateAsync(store, NewCase(workspace.Id)));
        }

        var results = await Task.WhenAll(cases.Select(c => store.ClaimCaseAsync(workspace.Id, c.Id, person, Start, Ct)));

        Assert.Equal((2, 4), (results.Count(static r => r.Status == CaseUpdateStatus.Updated), results.Count(static r => r.Status == CaseUpdateStatus.OverCapacity)));
        Assert.Equal(2, (await store.ListRoutableCasesAsync(workspace.Id, Ct)).Count(c => c.AssignedTo?.Id == person.Id));
    }

    [Fact]
    public virtual async Task ClaimCase_ByAnApiKey_HasNoCapacityToKeep()
    {
        var (store, workspace, _) = await PersonWithCapacityAsync(1);
        for (var i = 0; i < 3; i++)
        {
            var c = await CreateAsync(store, NewCase(workspace.Id));
            Assert.Equal(CaseUpdateStatus.Updated, (await store.ClaimCaseAsync(workspace.Id, c.Id, Bob, Start, Ct)).Status);
        }
    }

    [Fact]
    public virtual async Task TakeOver_WeighsTheCase_AndAfterALoweredCapacityStillTakesOverWhatTheyHold()
    {
        var (store, workspace, person) = await PersonWithCapacityAsync(3);
        await store.SetRoutingSettingsAsync(workspace.Id, RoutingSettings.Default with { QueuedWeight = 1, LiveWeight = 2 }, Alice, Ct);
        var held = await CreateAsync(store, NewCase(workspace.Id));
        var live = await CreateAsync(store, NewCase(workspace.Id) with { LiveUntil = Start.AddMinutes(5) });
        var other = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, held.Id, person, Start, Ct);
        Assert.Equal(CaseUpdateStatus.Updated, (await store.TakeOverCaseAsync(workspace.Id, live.Id, person, Start.AddSeconds(1), Ct)).Status);

        // 1 queued + 2 live = 3: full.
        var refused = await store.TakeOverCaseAsync(workspace.Id, other.Id, person, Start.AddSeconds(2), Ct);
        Assert.Equal(CaseUpdateStatus.OverCapacity, refused.Status);
        AssertSameCase(other, await store.GetCaseAsync(workspace.Id, other.Id, Ct));

        await store.UpdateUserAsync(workspace.Id, person.Id, new UserChanges { Capacity = 1 }, Alice, Ct);
        var takenOver = await store.TakeOverCaseAsync(workspace.Id, held.Id, person, Start.AddSeconds(3), Ct);
        Assert.Equal((CaseUpdateStatus.Updated, CaseStatus.TakenOver), (takenOver.Status, takenOver.Case!.Status));
    }

    [Fact]
    public virtual async Task ReassignAndTransfer_ToAPersonAtCapacity_AreRefusedAndChangeNothing()
    {
        var (store, workspace, person) = await PersonWithCapacityAsync(1);
        var theirs = await CreateAsync(store, NewCase(workspace.Id));
        var queued = await CreateAsync(store, NewCase(workspace.Id));
        var heldBySam = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, theirs.Id, person, Start, Ct);
        var samHolds = (await store.ClaimCaseAsync(workspace.Id, heldBySam.Id, Sam, Start, Ct)).Case!;

        var reassigned = await store.ReassignCaseAsync(workspace.Id, queued.Id, person, Alice, "yours", Start.AddSeconds(1), cancellationToken: Ct);
        var transferred = await store.TransferCaseAsync(workspace.Id, heldBySam.Id, person, null, Sam, "over to you", Start.AddSeconds(1), Sam.Id, Ct);

        Assert.Equal((CaseUpdateStatus.OverCapacity, CaseUpdateStatus.OverCapacity), (reassigned.Status, transferred.Status));
        AssertSameCase(queued, await store.GetCaseAsync(workspace.Id, queued.Id, Ct));
        AssertSameCase(samHolds, await store.GetCaseAsync(workspace.Id, heldBySam.Id, Ct));
        Assert.DoesNotContain(AuditData.CaseTransferred, (await store.GetCaseHistoryAsync(workspace.Id, heldBySam.Id, Ct)).Select(static e => e.Action));
        // Reassigning what they already hold to them again adds nothing, so it is no refusal.
        Assert.Equal(CaseUpdateStatus.Updated, (await store.ReassignCaseAsync(workspace.Id, theirs.Id, person, Alice, null, Start.AddSeconds(2), cancellationToken: Ct)).Status);
    }

    [Fact]
    public virtual async Task RunDueSlaEvents_SupervisorRungWhenTheSupervisorIsAtCapacity_LeavesTheCaseEscalatedInTheQueue()
    {
        var (store, workspace, lead) = await PersonWithCapacityAsync(1);
        await store.AddTeamAsync(new Team { WorkspaceId = workspace.Id, Name = "support", DisplayName = "Support", SupervisorId = lead.Id }, Alice, Ct);
        var busy = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, busy.Id, lead, Start, Ct);
        var created = await CreateAsync(store, CaseWithSla(workspace.Id, "support", (0, BreachAction.Supervisor)));

        var after = Assert.Single(await store.RunDueSlaEventsAsync(SlaDue, 10, Ct));

        Assert.Equal((CaseStatus.Escalated, (Actor?)null), (after.Status, after.AssignedTo));
        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        Assert.Equal("the supervisor is at capacity", JsonDocument.Parse(history[^1].Data).RootElement.GetProperty("skipped").GetString());
        AssertReplays(history, after);
    }
}
