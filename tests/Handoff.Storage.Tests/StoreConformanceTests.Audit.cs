using Handoff.Core.Audit;
using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task EveryStateChange_LeavesItsAuditEntry()
    {
        var store = await CreateStoreAsync();
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct);
        var key = await store.AddApiKeyAsync(new NewApiKey(workspace.Id, "bot", ApiKeyRole.Agent, "hash-1", Start), Alice, Ct);
        await store.RevokeApiKeyAsync(workspace.Id, key.Id, Alice, Ct);
        await store.PublishPolicyAsync(workspace.Id, "rules: []", Alice, Ct);
        await store.SetAutonomyAsync(workspace.Id, false, "incident", Bob, Ct);
        var c = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(1)));
        await store.ClaimCaseAsync(workspace.Id, c.Id, Alice, Start, Ct);
        await store.ReleaseCaseAsync(workspace.Id, c.Id, Alice, Start, Ct);
        var d = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, d.Id, DecisionBy(Bob, Start), CaseStatus.Approved, Ct);
        await store.ExpireDueCasesAsync(Start.AddMinutes(1), 10, Ct);

        var entries = await store.ReadSealedAuditAsync(0, 100, Ct);

        Assert.Equal(
            [
                ("workspace.created", workspace.Id, "cli"),
                ("key.created", key.Id, Alice.Id),
                ("key.revoked", key.Id, Alice.Id),
                ("policy.published", "1", Alice.Id),
                ("autonomy.changed", workspace.Id, Bob.Id),
                ("case.created", c.Id, Agent.Id),
                ("case.claimed", c.Id, Alice.Id),
                ("case.released", c.Id, Alice.Id),
                ("case.created", d.Id, Agent.Id),
                ("case.decided", d.Id, Bob.Id),
                ("case.expired", c.Id, Actor.System.Id),
            ],
            entries.Select(e => (e.Action, e.Subject, e.ActorId)));
        Assert.All(entries, e => Assert.Equal(workspace.Id, e.WorkspaceId));
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
    }

    [Fact]
    public virtual async Task AuditData_DescribesTheChange()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await store.PublishPolicyAsync(workspace.Id, "rules: []", Alice, Ct);
        await store.SetAutonomyAsync(workspace.Id, false, "incident", Bob, Ct);
        var c = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, c.Id, DecisionBy(Bob, Start) with { Changes = [new Change("text", "a", "b")] }, CaseStatus.Approved, Ct);

        var data = (await store.ReadSealedAuditAsync(0, 100, Ct)).ToDictionary(e => e.Action, e => e.Data);

        Assert.Equal("""{"version":1}""", data["policy.published"]);
        Assert.Equal("""{"enabled":false,"reason":"incident"}""", data["autonomy.changed"]);
        Assert.Equal(
            $$"""{"status":"pending","outcome":"review","reasons":[{"rule":"big-refund","text":"Refunds above 1,000 need review"},{"rule":"low-confidence","text":"Confidence 0.62 \u003C 0.8"}],"team":"support","policyVersion":3,"proposalDigest":"{{ProposalDigest.Compute(c.Content.Proposal)}}"}""",
            data["case.created"]);
        Assert.Equal(
            $$"""{"verdict":"approve","note":"Checked the order.","changes":[{"field":"text","from":"a","to":"b"}],"proposalDigest":"{{new string('a', 64)}}","timedOut":false}""",
            data["case.decided"]);
    }

    [Fact]
    public virtual async Task AuditEntries_AreStampedWithTheStoreClock()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        Time.Advance(TimeSpan.FromMinutes(7).Add(TimeSpan.FromTicks(1234567)));

        await store.PublishPolicyAsync(workspace.Id, "rules: []", Alice, Ct);

        var entry = (await store.ReadSealedAuditAsync(1, 100, Ct))[0];
        Assert.Equal(AuditChain.NormalizeTime(Time.GetUtcNow()), entry.At);
    }

    [Fact]
    public virtual async Task AuditChain_ReadInPages_Verifies()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        for (var i = 0; i < 10; i++)
        {
            Time.Advance(TimeSpan.FromTicks(7919));
            var c = await CreateAsync(store, NewCase(i % 2 == 0 ? workspace.Id : other.Id, expiresAt: Start.AddSeconds(i)));
            if (i % 3 == 0)
            {
                await store.ClaimCaseAsync(c.WorkspaceId, c.Id, Alice, Start, Ct);
            }
        }

        await store.ExpireDueCasesAsync(Start.AddMinutes(1), 100, Ct);

        var entries = new List<AuditEntry>();
        IReadOnlyList<AuditEntry> page;
        do
        {
            page = await store.ReadSealedAuditAsync(entries.Count == 0 ? 0 : entries[^1].Sequence, 4, Ct);
            Assert.True(page.Count <= 4);
            entries.AddRange(page);
        }
        while (page.Count > 0);

        Assert.Equal(AuditVerification.Success(entries.Count), AuditChain.Verify(entries));
        Assert.Equal(2 + 10 + 4 + 10, entries.Count);
    }

    [Fact]
    public virtual async Task ConflictsAndNotFound_WriteNoAuditEntry()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var c = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, c.Id, Alice, Start, Ct);
        var before = (await store.ReadSealedAuditAsync(0, 100, Ct)).Count;

        await store.ClaimCaseAsync(workspace.Id, c.Id, Bob, Start, Ct);
        await store.ClaimCaseAsync(workspace.Id, c.Id, Alice, Start, Ct);
        await store.ReleaseCaseAsync(workspace.Id, c.Id, Bob, Start, Ct);
        await store.DecideCaseAsync(workspace.Id, c.Id, DecisionBy(Bob, Start), CaseStatus.Approved, Ct);
        await store.DecideCaseAsync(workspace.Id, "case_missing", DecisionBy(Bob, Start), CaseStatus.Approved, Ct);

        Assert.Equal(before, (await store.ReadSealedAuditAsync(0, 100, Ct)).Count);
    }

    [Fact]
    public virtual async Task GetCaseHistory_ReturnsThatCasesEntriesOldestFirst()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var c = await CreateAsync(store, NewCase(workspace.Id));
        var unrelated = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, c.Id, Alice, Start, Ct);
        await store.ClaimCaseAsync(workspace.Id, unrelated.Id, Bob, Start, Ct);
        await store.DecideCaseAsync(workspace.Id, c.Id, DecisionBy(Alice, Start), CaseStatus.Approved, Ct);

        var history = await store.GetCaseHistoryAsync(workspace.Id, c.Id, Ct);

        Assert.Equal(["case.created", "case.claimed", "case.decided"], history.Select(e => e.Action));
        Assert.All(history, e => Assert.Equal(c.Id, e.Subject));
        Assert.Empty(await store.GetCaseHistoryAsync(other.Id, c.Id, Ct));
    }

    [Fact]
    public virtual async Task FailedWrite_LeavesTheChainIntact()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await store.AddApiKeyAsync(new NewApiKey(workspace.Id, "bot", ApiKeyRole.Agent, "hash-1", Start), Alice, Ct);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            store.AddApiKeyAsync(new NewApiKey(workspace.Id, "same secret", ApiKeyRole.Agent, "hash-1", Start), Alice, Ct));
        var c = await CreateAsync(store, NewCase(workspace.Id));
        await Assert.ThrowsAnyAsync<Exception>(() => store.CreateCaseAsync(NewCase(workspace.Id) with { Id = c.Id }, Ct));
        await store.PublishPolicyAsync(workspace.Id, "rules: []", Alice, Ct);

        var entries = await store.ReadSealedAuditAsync(0, 100, Ct);
        Assert.Equal(["workspace.created", "key.created", "case.created", "policy.published"], entries.Select(e => e.Action));
        Assert.True(AuditChain.Verify(entries).Intact);
    }
}
