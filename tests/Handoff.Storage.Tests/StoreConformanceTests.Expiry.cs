using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task ExpireDueCases_OnTimeoutApprove_ApprovesWithATimeoutDecision()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(10), onTimeout: TimeoutEffect.Approve));
        var now = Start.AddMinutes(10);

        var expired = Assert.Single(await store.ExpireDueCasesAsync(now, 10, Ct));

        var expected = created with
        {
            Status = CaseStatus.Approved,
            ExpiresAt = null,
            UpdatedAt = now,
            Decision = new Decision
            {
                Verdict = Verdict.Approve,
                Result = created.Content.Proposal,
                ProposalDigest = ProposalDigest.Compute(created.Content.Proposal),
                ResultDigest = ProposalDigest.Compute(created.Content.Proposal),
                DecidedAt = now,
                TimedOut = true,
            },
        };
        AssertSameCase(expected, expired);
        AssertSameCase(expected, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
    }

    [Fact]
    public virtual async Task ExpireDueCases_OnTimeoutReject_RejectsWithATimeoutDecision()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(10), onTimeout: TimeoutEffect.Reject));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start, Ct);

        var expired = Assert.Single(await store.ExpireDueCasesAsync(Start.AddHours(1), 10, Ct));

        Assert.Equal(CaseStatus.Rejected, expired.Status);
        Assert.Equal(Verdict.Reject, expired.Decision!.Verdict);
        Assert.True(expired.Decision.TimedOut);
        Assert.Null(expired.Decision.DecidedBy);
        Assert.Null(expired.Decision.Result);
        Assert.Equal(ProposalDigest.Compute(created.Content.Proposal), expired.Decision.ProposalDigest);
    }

    [Fact]
    public virtual async Task ExpireDueCases_OnTimeoutEscalate_RaisesTheCaseToUrgentWithoutExpiry()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(10), onTimeout: TimeoutEffect.Escalate));
        var now = Start.AddMinutes(11);

        var expired = Assert.Single(await store.ExpireDueCasesAsync(now, 10, Ct));

        var expected = created with
        {
            Status = CaseStatus.Escalated,
            Evaluation = created.Evaluation with { Priority = Priority.Urgent },
            ExpiresAt = null,
            UpdatedAt = now,
        };
        AssertSameCase(expected, expired);
        Assert.Empty(await store.ExpireDueCasesAsync(now.AddDays(1), 10, Ct));
        Assert.Equal(CaseUpdateStatus.Updated, (await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Alice, now), CaseStatus.Approved, Ct)).Status);
    }

    [Fact]
    public virtual async Task ExpireDueCases_WhileAnOfferRings_DecidesTheCaseAndEndsTheOffer()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(1), onTimeout: TimeoutEffect.Approve));
        await store.OfferCaseAsync(workspace.Id, created.Id, Rita, Start.AddSeconds(50), TimeSpan.FromSeconds(30), Ct);

        var expired = Assert.Single(await store.ExpireDueCasesAsync(Start.AddMinutes(1), 10, Ct));

        Assert.Equal(CaseStatus.Approved, expired.Status);
        Assert.Null(expired.Offer);
        Assert.Null((await store.GetCaseAsync(workspace.Id, created.Id, Ct))!.Offer);
        Assert.Null(await store.GetNextOfferDueAsync(Ct));
        Assert.Equal(CaseUpdateStatus.Conflict, (await store.AcceptOfferAsync(workspace.Id, created.Id, Rita, Start.AddSeconds(61), RoomForTwo, Ct)).Status);
    }

    [Fact]
    public virtual async Task ExpireDueCases_NotYetDueOrDecided_LeavesThemAlone()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var notDue = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(10).AddTicks(1)));
        var decided = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(5)));
        var noExpiry = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, decided.Id, DecisionBy(Alice, Start), CaseStatus.Approved, Ct);
        var decidedBefore = await store.GetCaseAsync(workspace.Id, decided.Id, Ct);

        Assert.Empty(await store.ExpireDueCasesAsync(Start.AddMinutes(10), 10, Ct));

        AssertSameCase(notDue, await store.GetCaseAsync(workspace.Id, notDue.Id, Ct));
        AssertSameCase(decidedBefore!, await store.GetCaseAsync(workspace.Id, decided.Id, Ct));
        AssertSameCase(noExpiry, await store.GetCaseAsync(workspace.Id, noExpiry.Id, Ct));
    }

    [Fact]
    public virtual async Task ExpireDueCases_MoreDueThanMax_ExpiresTheEarliestFirst()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var late = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(3)));
        var early = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(1)));
        var middle = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(2)));

        var first = await store.ExpireDueCasesAsync(Start.AddHours(1), 2, Ct);
        var rest = await store.ExpireDueCasesAsync(Start.AddHours(1), 2, Ct);

        Assert.Equal([early.Id, middle.Id], first.Select(c => c.Id));
        Assert.Equal([late.Id], rest.Select(c => c.Id));
    }

    [Fact]
    public virtual async Task ExpireDueCases_AcrossWorkspaces_ExpiresAllAndAuditsEachBySystem()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var a = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start, onTimeout: TimeoutEffect.Approve));
        var b = await CreateAsync(store, NewCase(other.Id, expiresAt: Start, onTimeout: TimeoutEffect.Escalate));

        await store.ExpireDueCasesAsync(Start, 10, Ct);

        var entries = (await store.ReadSealedAuditAsync(0, 100, Ct)).Where(e => e.Action == "case.expired").ToArray();
        Assert.Equal([(workspace.Id, a.Id), (other.Id, b.Id)], entries.Select(e => (e.WorkspaceId, e.Subject)));
        Assert.All(entries, e => Assert.Equal((Actor.System.Kind, Actor.System.Id), (e.ActorKind, e.ActorId)));
        Assert.Contains("\"effect\":\"approve\"", entries[0].Data, StringComparison.Ordinal);
        Assert.Contains("\"verdict\":\"approve\"", entries[0].Data, StringComparison.Ordinal);
        Assert.Contains("\"effect\":\"escalate\"", entries[1].Data, StringComparison.Ordinal);
    }

    [Fact]
    public virtual async Task GetNextExpiry_ReturnsTheEarliestOpenExpiryOfAnyWorkspace()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        Assert.Null(await store.GetNextExpiryAsync(Ct));

        var decided = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(1)));
        await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(9)));
        await CreateAsync(store, NewCase(other.Id, expiresAt: Start.AddMinutes(4).AddTicks(1).ToOffset(TimeSpan.FromHours(-7))));
        await CreateAsync(store, NewCase(workspace.Id, status: CaseStatus.Approved, expiresAt: Start));
        await store.DecideCaseAsync(workspace.Id, decided.Id, DecisionBy(Alice, Start), CaseStatus.Approved, Ct);

        Assert.Equal(Start.AddMinutes(4).AddTicks(1), await store.GetNextExpiryAsync(Ct));
    }
}
