using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task CreateCase_ThenGet_RoundTripsEveryField()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var newCase = NewCase(workspace.Id, "idem-1", expiresAt: Start.AddMinutes(30), onTimeout: TimeoutEffect.Escalate) with
        {
            AssignedTo = Alice,
            AssignedAt = Start.AddTicks(3),
            Status = CaseStatus.Assigned,
            UpdatedAt = Start.AddTicks(7),
        };

        var result = await store.CreateCaseAsync(newCase, Ct);
        var stored = await store.GetCaseAsync(workspace.Id, newCase.Id, Ct);

        Assert.True(result.Created);
        AssertSameCase(newCase, result.Case);
        AssertSameCase(newCase, stored);
        Assert.Equal(JsonValueKind.Undefined, stored!.Content.Signals.ValueKind);
        Assert.Equal(JsonValueKind.Undefined, stored.Content.Options[1].Action!.Arguments.ValueKind);
        Assert.True(JsonElement.DeepEquals(newCase.Content.Facts, stored.Content.Facts));
        Assert.Equal(newCase.Content.Conversation[0].At!.Value.Offset, stored.Content.Conversation[0].At!.Value.Offset);
    }

    [Fact]
    public virtual async Task CreateCase_WithDecision_RoundTripsTheDecision()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var decision = DecisionBy(null, Start) with
        {
            Changes = [new Change("arguments.amount", 1250.5, 1000)],
            Option = 1,
            Text = "ok",
        };
        var autoApproved = NewCase(workspace.Id, status: CaseStatus.Approved) with { Decision = decision };

        await CreateAsync(store, autoApproved);

        AssertSameCase(autoApproved, await store.GetCaseAsync(workspace.Id, autoApproved.Id, Ct));
    }

    [Fact]
    public virtual async Task CreateCase_SameIdempotencyKey_ReturnsTheEarlierCaseAndWritesNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var first = await CreateAsync(store, NewCase(workspace.Id, "idem-1"));
        var auditBefore = await store.ReadSealedAuditAsync(0, 100, Ct);

        var again = await store.CreateCaseAsync(NewCase(workspace.Id, "idem-1") with { Content = first.Content with { Summary = "changed" } }, Ct);

        Assert.False(again.Created);
        AssertSameCase(first, again.Case);
        Assert.Single((await store.ListCasesAsync(workspace.Id, new CaseQuery(), Ct)).Items);
        Assert.Equal(auditBefore.Count, (await store.ReadSealedAuditAsync(0, 100, Ct)).Count);
    }

    [Fact]
    public virtual async Task CreateCase_SameIdempotencyKeyInAnotherWorkspace_CreatesBoth()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);

        await CreateAsync(store, NewCase(workspace.Id, "idem-1"));
        var second = await store.CreateCaseAsync(NewCase(other.Id, "idem-1"), Ct);

        Assert.True(second.Created);
    }

    [Fact]
    public virtual async Task CreateCase_TwentyConcurrentWithSameKey_CreatesExactlyOne()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var attempts = Enumerable.Range(0, 20).Select(_ => NewCase(workspace.Id, "idem-race")).ToArray();

        var results = await Task.WhenAll(attempts.Select(c => Task.Run(() => store.CreateCaseAsync(c, Ct), Ct)));

        var winner = Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(winner.Case.Id, r.Case.Id));
        Assert.Equal(winner.Case.Id, Assert.Single((await store.ListCasesAsync(workspace.Id, new CaseQuery(), Ct)).Items).Id);
        Assert.Single(await store.ReadSealedAuditAsync(0, 100, Ct), e => e.Action == "case.created");
    }

    [Fact]
    public virtual async Task GetCase_FromAnotherWorkspace_ReturnsNull()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var created = await CreateAsync(store, NewCase(workspace.Id));

        Assert.Null(await store.GetCaseAsync(other.Id, created.Id, Ct));
        Assert.Null(await store.GetCaseAsync(workspace.Id, "case_missing", Ct));
    }

    [Fact]
    public virtual async Task ClaimReleaseDecide_FromAnotherWorkspace_ReturnNotFoundAndChangeNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var created = await CreateAsync(store, NewCase(workspace.Id));

        Assert.Equal(CaseUpdate.NotFound, await store.ClaimCaseAsync(other.Id, created.Id, Alice, Start, Ct));
        Assert.Equal(CaseUpdate.NotFound, await store.ReleaseCaseAsync(other.Id, created.Id, Alice, Start, Ct));
        Assert.Equal(CaseUpdate.NotFound, await store.DecideCaseAsync(other.Id, created.Id, DecisionBy(Alice, Start), CaseStatus.Approved, Ct));
        AssertSameCase(created, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
    }

    [Fact]
    public virtual async Task Claim_PendingCase_AssignsItToTheActor()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        var at = Start.AddMinutes(3);

        var update = await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, at, Ct);

        Assert.Equal(CaseUpdateStatus.Updated, update.Status);
        var expected = created with { Status = CaseStatus.Assigned, AssignedTo = Alice, AssignedAt = at, UpdatedAt = at };
        AssertSameCase(expected, update.Case);
        AssertSameCase(expected, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
    }

    [Fact]
    public virtual async Task Claim_EscalatedCase_StaysEscalated()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id, status: CaseStatus.Escalated));

        var update = await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start, Ct);

        Assert.Equal(CaseUpdateStatus.Updated, update.Status);
        Assert.Equal((CaseStatus.Escalated, Alice), (update.Case!.Status, update.Case.AssignedTo));
    }

    [Fact]
    public virtual async Task Claim_AgainByTheHolder_SucceedsWithoutChange()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        var claimed = await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start, Ct);

        var again = await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start.AddMinutes(1), Ct);

        Assert.Equal(CaseUpdateStatus.Updated, again.Status);
        AssertSameCase(claimed.Case!, again.Case);
    }

    [Fact]
    public virtual async Task Claim_WhenHeldByAnother_ReturnsConflictShowingTheHolder()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start, Ct);

        var update = await store.ClaimCaseAsync(workspace.Id, created.Id, Bob, Start, Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, update.Status);
        Assert.Equal(Alice, update.Case!.AssignedTo);
    }

    [Fact]
    public virtual async Task Claim_DecidedCase_ReturnsConflict()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Bob, Start), CaseStatus.Approved, Ct);

        var update = await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start, Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, update.Status);
        Assert.Equal(CaseStatus.Approved, update.Case!.Status);
    }

    [Fact]
    public virtual async Task Release_ByTheHolder_ReturnsTheCaseToTheQueue()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start.AddMinutes(1), Ct);

        var update = await store.ReleaseCaseAsync(workspace.Id, created.Id, Alice, Start.AddMinutes(2), Ct);

        Assert.Equal(CaseUpdateStatus.Updated, update.Status);
        AssertSameCase(created with { UpdatedAt = Start.AddMinutes(2) }, update.Case);
        Assert.Equal(CaseUpdateStatus.Updated, (await store.ClaimCaseAsync(workspace.Id, created.Id, Bob, Start, Ct)).Status);
    }

    [Fact]
    public virtual async Task Release_EscalatedCase_StaysEscalated()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id, status: CaseStatus.Escalated));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start, Ct);

        var update = await store.ReleaseCaseAsync(workspace.Id, created.Id, Alice, Start, Ct);

        Assert.Equal((CaseStatus.Escalated, (Actor?)null), (update.Case!.Status, update.Case.AssignedTo));
    }

    [Fact]
    public virtual async Task Release_ByAnotherThanTheHolder_ReturnsConflict()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start, Ct);

        var update = await store.ReleaseCaseAsync(workspace.Id, created.Id, Bob, Start, Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, update.Status);
        Assert.Equal(Alice, update.Case!.AssignedTo);
    }

    [Fact]
    public virtual async Task Release_UnassignedCase_ReturnsConflict()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));

        Assert.Equal(CaseUpdateStatus.Conflict, (await store.ReleaseCaseAsync(workspace.Id, created.Id, Alice, Start, Ct)).Status);
    }

    [Fact]
    public virtual async Task Decide_OpenCase_RecordsTheDecisionAndClosesIt()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddHours(1)));
        var decision = DecisionBy(Alice, Start.AddMinutes(4));

        var update = await store.DecideCaseAsync(workspace.Id, created.Id, decision, CaseStatus.Approved, Ct);

        Assert.Equal(CaseUpdateStatus.Updated, update.Status);
        var expected = created with { Status = CaseStatus.Approved, Decision = decision, ExpiresAt = null, UpdatedAt = decision.DecidedAt };
        AssertSameCase(expected, update.Case);
        AssertSameCase(expected, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
        Assert.Null(await store.GetNextExpiryAsync(Ct));
    }

    [Fact]
    public virtual async Task Decide_ByTheHolder_Succeeds()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start, Ct);

        var update = await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Alice, Start, Verdict.Reject), CaseStatus.Rejected, Ct);

        Assert.Equal(CaseUpdateStatus.Updated, update.Status);
        Assert.Equal((CaseStatus.Rejected, Alice), (update.Case!.Status, update.Case.AssignedTo));
    }

    [Fact]
    public virtual async Task Decide_Twice_SecondReturnsConflictWithTheFirstDecision()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Alice, Start), CaseStatus.Approved, Ct);

        var second = await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Bob, Start, Verdict.Reject), CaseStatus.Rejected, Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, second.Status);
        Assert.Equal((CaseStatus.Approved, Alice), (second.Case!.Status, second.Case.Decision!.DecidedBy));
    }

    [Fact]
    public virtual async Task Decide_WhenHeldByAnother_ReturnsConflictShowingTheHolder()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Alice, Start, Ct);

        var update = await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Bob, Start), CaseStatus.Approved, Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, update.Status);
        Assert.Equal((CaseStatus.Assigned, Alice), (update.Case!.Status, update.Case.AssignedTo));
    }

    [Fact]
    public virtual async Task Decide_TenConcurrentDeciders_ExactlyOneSucceeds()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        var deciders = Enumerable.Range(0, 10).Select(i => new Actor("key", $"key_{i}", $"Reviewer {i}")).ToArray();

        var updates = await Task.WhenAll(deciders.Select(d =>
            Task.Run(() => store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(d, Start), CaseStatus.Approved, Ct), Ct)));

        var winner = Assert.Single(updates, u => u.Status == CaseUpdateStatus.Updated);
        Assert.All(updates.Where(u => u != winner), u => Assert.Equal(CaseUpdateStatus.Conflict, u.Status));
        Assert.All(updates, u => Assert.Equal(winner.Case!.Decision!.DecidedBy, u.Case!.Decision!.DecidedBy));
        Assert.Single(await store.ReadSealedAuditAsync(0, 100, Ct), e => e.Action == "case.decided");
    }

    [Fact]
    public virtual async Task Decide_WithAnOpenStatus_Throws()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Alice, Start), CaseStatus.Pending, Ct));
    }
}
