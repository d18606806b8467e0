using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private static readonly Actor Lead = new(Actor.UserKind, "u_lead", "Lee Lead");

    [Fact]
    public virtual async Task ReassignCase_ARingingCase_GoesToThePersonAuditedWithToAndNote()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.OfferCaseAsync(workspace.Id, created.Id, Sam, Start, TimeSpan.FromSeconds(30), Ct);

        var update = await store.ReassignCaseAsync(workspace.Id, created.Id, Rita, Lead, "Rita knows this customer", Start.AddSeconds(5), cancellationToken: Ct);

        Assert.Equal(CaseUpdateStatus.Updated, update.Status);
        Assert.Equal((CaseStatus.Assigned, Rita, Start.AddSeconds(5)), (update.Case!.Status, update.Case.AssignedTo, update.Case.AssignedAt));
        Assert.Null(update.Case.Offer);
        AssertSameCase(update.Case, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
        Assert.Null(await store.GetNextOfferDueAsync(Ct));
        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        var entry = history[^1];
        Assert.Equal((AuditData.CaseReassigned, Lead.Id), (entry.Action, entry.ActorId));
        using var data = JsonDocument.Parse(entry.Data);
        Assert.Equal(Rita.Id, data.RootElement.GetProperty("to").GetProperty("id").GetString());
        Assert.Equal("Rita knows this customer", data.RootElement.GetProperty("note").GetString());
        Assert.False(data.RootElement.TryGetProperty("from", out _));
        AssertReplays(history, update.Case);
    }

    [Fact]
    public virtual async Task ReassignCase_FromOnePersonToAnother_StartsTheNewHoldersClaimAnew()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Rita, Start, Ct);
        var at = Start.AddMinutes(10);

        var update = await store.ReassignCaseAsync(workspace.Id, created.Id, Sam, Lead, null, at, cancellationToken: Ct);

        Assert.Equal(Sam, update.Case!.AssignedTo);
        // Rita's last-seen time does not follow the case to Sam: he is not released for her absence.
        Assert.Equal(at, await store.GetOldestClaimSeenAsync(Ct));
        Assert.Empty(await store.ReleaseUnseenClaimsAsync(at, IdleAfter(TimeSpan.FromSeconds(1)), 10, Ct));
        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        using var data = JsonDocument.Parse(history[^1].Data);
        Assert.Equal(Rita.Id, data.RootElement.GetProperty("from").GetProperty("id").GetString());
        AssertReplays(history, update.Case);
    }

    [Fact]
    public virtual async Task ReassignCase_AClosedCaseOrAnotherWorkspaces_IsRefusedAndChangesNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var decided = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, decided.Id, DecisionBy(Alice, Start), CaseStatus.Approved, Ct);
        var open = await CreateAsync(store, NewCase(workspace.Id));

        var closed = await store.ReassignCaseAsync(workspace.Id, decided.Id, Rita, Lead, null, Start, cancellationToken: Ct);
        var elsewhere = await store.ReassignCaseAsync("ws_other", open.Id, Rita, Lead, null, Start, cancellationToken: Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, closed.Status);
        Assert.Equal(CaseUpdateStatus.NotFound, elsewhere.Status);
        AssertSameCase(open, await store.GetCaseAsync(workspace.Id, open.Id, Ct));
        Assert.Equal(2, (await store.GetCaseHistoryAsync(workspace.Id, decided.Id, Ct)).Count);
    }

    [Fact]
    public virtual async Task TransferCase_ToAnotherTeam_QueuesItThereUnassignedWithNobodyPassedOver()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.OfferCaseAsync(workspace.Id, created.Id, Sam, Start, TimeSpan.FromSeconds(30), Ct);
        await store.DeclineOfferAsync(workspace.Id, created.Id, Sam, Start.AddSeconds(1), Ct);
        await store.ClaimCaseAsync(workspace.Id, created.Id, Rita, Start.AddSeconds(2), Ct);

        var update = await store.TransferCaseAsync(workspace.Id, created.Id, null, "billing", Rita, "A billing question", Start.AddSeconds(3), Rita.Id, Ct);

        Assert.Equal(CaseUpdateStatus.Updated, update.Status);
        var moved = update.Case!;
        Assert.Equal(("billing", CaseStatus.Pending), (moved.Evaluation.Team, moved.Status));
        Assert.Null(moved.AssignedTo);
        Assert.Null(moved.PassedOver);
        AssertSameCase(moved, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
        Assert.Equal([created.Id], (await store.ListOpenCasesAsync(workspace.Id, ["billing"], 10, Ct)).Select(static c => c.Id));
        Assert.Empty(await store.ListOpenCasesAsync(workspace.Id, ["support"], 10, Ct));
        Assert.Null(await store.GetOldestClaimSeenAsync(Ct));
        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        var entry = history[^1];
        Assert.Equal((AuditData.CaseTransferred, Rita.Id), (entry.Action, entry.ActorId));
        using var data = JsonDocument.Parse(entry.Data);
        Assert.Equal(("support", "billing", "A billing question"), (
            data.RootElement.GetProperty("fromTeam").GetString(), data.RootElement.GetProperty("toTeam").GetString(), data.RootElement.GetProperty("note").GetString()));
        AssertReplays(history, moved);
    }

    /// <summary>
    /// Found by the routing property: a transfer to the team the case is in unassigned it behind a
    /// <c>case.transferred</c> entry with neither <c>to</c> nor <c>toTeam</c>, which the audit replay (and so
    /// <c>handoff audit verify</c>) reads as broken. The server refuses such a transfer up front, but a transfer sent
    /// twice passes that check twice.
    /// </summary>
    [Fact]
    public virtual async Task TransferCase_ToTheTeamItIsAlreadyIn_IsAConflictAndLogsNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        var claimed = (await store.ClaimCaseAsync(workspace.Id, created.Id, Rita, Start, Ct)).Case!;

        var same = await store.TransferCaseAsync(workspace.Id, created.Id, null, "support", Lead, null, Start.AddSeconds(1), null, Ct);
        var first = await store.TransferCaseAsync(workspace.Id, created.Id, null, "billing", Lead, null, Start.AddSeconds(2), null, Ct);
        var again = await store.TransferCaseAsync(workspace.Id, created.Id, null, "billing", Lead, null, Start.AddSeconds(3), null, Ct);

        Assert.Equal((CaseUpdateStatus.Conflict, CaseUpdateStatus.Updated, CaseUpdateStatus.Conflict), (same.Status, first.Status, again.Status));
        AssertSameCase(claimed, same.Case);
        AssertSameCase(first.Case!, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        Assert.Equal([AuditData.CaseCreated, AuditData.CaseClaimed, AuditData.CaseTransferred], history.Select(static e => e.Action));
        AssertReplays(history, first.Case!);
    }

    [Fact]
    public virtual async Task TransferCase_ToAColleague_AssignsThemAuditedAsTransferred()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id, status: CaseStatus.Escalated));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Rita, Start, Ct);

        var update = await store.TransferCaseAsync(workspace.Id, created.Id, Sam, null, Rita, "Over to you", Start.AddSeconds(1), Rita.Id, Ct);

        Assert.Equal((CaseStatus.Escalated, Sam), (update.Case!.Status, update.Case.AssignedTo));
        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        Assert.Equal(AuditData.CaseTransferred, history[^1].Action);
        AssertReplays(history, update.Case);
    }

    [Fact]
    public virtual async Task TransferCase_BySomeoneWhoDoesNotHoldIt_IsAConflictAndChangesNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        var claimed = (await store.ClaimCaseAsync(workspace.Id, created.Id, Rita, Start, Ct)).Case!;

        var update = await store.TransferCaseAsync(workspace.Id, created.Id, null, "billing", Sam, null, Start.AddSeconds(1), Sam.Id, Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, update.Status);
        AssertSameCase(claimed, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TransferCaseAsync(workspace.Id, created.Id, Sam, "billing", Rita, null, Start, null, Ct));
    }
}
