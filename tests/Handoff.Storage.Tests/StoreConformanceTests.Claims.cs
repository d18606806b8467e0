using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    protected static readonly Actor Rita = new(Actor.UserKind, "u_rita", "Rita Reviewer");
    protected static readonly Actor Sam = new(Actor.UserKind, "u_sam", "Sam Second");

    /// <summary>Every case released after <paramref name="timeout"/> unseen, whatever its team says.</summary>
    protected static IdleClaimTimeouts IdleAfter(TimeSpan timeout) => new(timeout, timeout);

    [Fact]
    public virtual async Task ReleaseUnseenClaims_APersonsClaimNotRenewed_GoesBackToTheQueueAuditedByTheSystem()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Rita, Start, Ct);
        Assert.Equal(Start, await store.GetOldestClaimSeenAsync(Ct));
        var now = Start.AddMinutes(2);

        var released = Assert.Single(await store.ReleaseUnseenClaimsAsync(now, IdleAfter(TimeSpan.FromMinutes(2)), 10, Ct));

        Assert.Equal(CaseStatus.Pending, released.Status);
        Assert.Null(released.AssignedTo);
        Assert.Equal(now, released.UpdatedAt);
        AssertSameCase(released, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
        var entry = (await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct))[^1];
        Assert.Equal((AuditData.CaseReleased, "system"), (entry.Action, entry.ActorKind));
        using var data = JsonDocument.Parse(entry.Data);
        Assert.Equal("The holder was not seen for 120 s, the idle-claim timeout.", data.RootElement.GetProperty("reason").GetString());
        Assert.Equal(120, data.RootElement.GetProperty("idleTimeoutSeconds").GetDouble());
        Assert.Equal(Rita.Id, data.RootElement.GetProperty("heldBy").GetProperty("id").GetString());
        Assert.Null(await store.GetOldestClaimSeenAsync(Ct));
        Assert.Empty(await store.ReleaseUnseenClaimsAsync(now, IdleAfter(TimeSpan.Zero), 10, Ct));
    }

    [Fact]
    public virtual async Task ReleaseUnseenClaims_AClaimRenewedSince_StaysWithItsHolder()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Rita, Start, Ct);

        Assert.Equal(1, await store.RenewClaimsAsync(workspace.Id, Rita.Id, Start.AddMinutes(1), Ct));

        Assert.Equal(Start.AddMinutes(1), await store.GetOldestClaimSeenAsync(Ct));
        Assert.Empty(await store.ReleaseUnseenClaimsAsync(Start.AddMinutes(3), IdleAfter(TimeSpan.FromSeconds(121)), 10, Ct));
        Assert.Equal(Rita, (await store.GetCaseAsync(workspace.Id, created.Id, Ct))!.AssignedTo);
        Assert.Single(await store.ReleaseUnseenClaimsAsync(Start.AddMinutes(3), IdleAfter(TimeSpan.FromMinutes(2)), 10, Ct));
    }

    [Fact]
    public virtual async Task RenewClaims_RenewsOnlyTheHoldersClaimsInTheWorkspaceAndNeverBackwards()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("other", Actor.Cli("ops"), Ct);
        var ritas = await CreateAsync(store, NewCase(workspace.Id));
        var sams = await CreateAsync(store, NewCase(workspace.Id));
        var elsewhere = await CreateAsync(store, NewCase(other.Id));
        await store.ClaimCaseAsync(workspace.Id, ritas.Id, Rita, Start, Ct);
        await store.ClaimCaseAsync(workspace.Id, sams.Id, Sam, Start, Ct);
        await store.ClaimCaseAsync(other.Id, elsewhere.Id, Rita, Start, Ct);

        Assert.Equal(1, await store.RenewClaimsAsync(workspace.Id, Rita.Id, Start.AddMinutes(1), Ct));
        Assert.Equal(0, await store.RenewClaimsAsync(workspace.Id, Rita.Id, Start.AddSeconds(30), Ct));
        Assert.Equal(0, await store.RenewClaimsAsync(workspace.Id, "u_nobody", Start.AddMinutes(1), Ct));

        var released = await store.ReleaseUnseenClaimsAsync(Start.AddMinutes(2), IdleAfter(TimeSpan.FromSeconds(61)), 10, Ct);
        Assert.Equal(new[] { elsewhere.Id, sams.Id }.Order(StringComparer.Ordinal), released.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Start.AddMinutes(1), await store.GetOldestClaimSeenAsync(Ct));
    }

    [Fact]
    public virtual async Task ReleaseUnseenClaims_AnApiKeysClaim_IsNeverReleased()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start, Ct);

        Assert.Null(await store.GetOldestClaimSeenAsync(Ct));
        Assert.Empty(await store.ReleaseUnseenClaimsAsync(Start.AddDays(1), IdleAfter(TimeSpan.Zero), 10, Ct));
        Assert.Equal(Alice, (await store.GetCaseAsync(workspace.Id, created.Id, Ct))!.AssignedTo);
    }

    [Fact]
    public virtual async Task ReleaseUnseenClaims_AfterTheHolderDecidedOrReleased_HasNothingToRelease()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var decided = await CreateAsync(store, NewCase(workspace.Id));
        var handedBack = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, decided.Id, Rita, Start, Ct);
        await store.ClaimCaseAsync(workspace.Id, handedBack.Id, Rita, Start, Ct);

        await store.DecideCaseAsync(workspace.Id, decided.Id, DecisionBy(Rita, Start.AddSeconds(10)), CaseStatus.Approved, Ct);
        await store.ReleaseCaseAsync(workspace.Id, handedBack.Id, Rita, Start.AddSeconds(20), Ct);

        Assert.Null(await store.GetOldestClaimSeenAsync(Ct));
        Assert.Empty(await store.ReleaseUnseenClaimsAsync(Start.AddDays(1), IdleAfter(TimeSpan.Zero), 10, Ct));
    }

    [Fact]
    public virtual async Task ReleaseUnseenClaims_AnEscalatedCase_StaysEscalatedAndAtMostMaxAreReleased()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var escalated = await CreateAsync(store, NewCase(workspace.Id, status: CaseStatus.Escalated));
        var second = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, escalated.Id, Rita, Start, Ct);
        await store.ClaimCaseAsync(workspace.Id, second.Id, Rita, Start.AddSeconds(1), Ct);

        var released = Assert.Single(await store.ReleaseUnseenClaimsAsync(Start.AddMinutes(3), IdleAfter(TimeSpan.FromMinutes(2)), 1, Ct));

        Assert.Equal((escalated.Id, CaseStatus.Escalated), (released.Id, released.Status));
        Assert.Null(released.AssignedTo);
        Assert.Equal(Start.AddSeconds(1), await store.GetOldestClaimSeenAsync(Ct));
    }
}
