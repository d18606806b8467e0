using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task TakeOverCase_AnOpenCase_BecomesTheirsWithoutExpiry_Audited()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(5)));

        var update = await store.TakeOverCaseAsync(workspace.Id, created.Id, Rita, Start.AddSeconds(1), Ct);

        Assert.Equal(CaseUpdateStatus.Updated, update.Status);
        Assert.Equal((CaseStatus.TakenOver, Rita, (DateTimeOffset?)null), (update.Case!.Status, update.Case.AssignedTo, update.Case.ExpiresAt));
        AssertSameCase(update.Case, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
        Assert.Null(await store.GetNextExpiryAsync(Ct));
        Assert.Empty(await store.ExpireDueCasesAsync(Start.AddHours(1), 10, Ct));
        var entry = (await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct))[^1];
        Assert.Equal((AuditData.CaseTakenOver, Rita.Id), (entry.Action, entry.ActorId));
        Assert.Equal("""{"status":"takenOver"}""", entry.Data);
        Assert.Equal(created.Id, Assert.Single(await store.ListCasesAsync(workspace.Id, new CaseQuery(CaseStatus.TakenOver), Ct) is var page ? page.Items : []).Id);
    }

    [Fact]
    public virtual async Task TakeOverCase_HeldBySomeoneElseOrClosedOrElsewhere_IsRefused()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("other", Actor.Cli("ops"), Ct);
        var held = await CreateAsync(store, NewCase(workspace.Id));
        await store.ClaimCaseAsync(workspace.Id, held.Id, Sam, Start, Ct);
        var decided = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, decided.Id, DecisionBy(Sam, Start), CaseStatus.Approved, Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, (await store.TakeOverCaseAsync(workspace.Id, held.Id, Rita, Start, Ct)).Status);
        Assert.Equal(CaseUpdateStatus.Conflict, (await store.TakeOverCaseAsync(workspace.Id, decided.Id, Rita, Start, Ct)).Status);
        Assert.Equal(CaseUpdateStatus.NotFound, (await store.TakeOverCaseAsync(other.Id, held.Id, Sam, Start, Ct)).Status);
        Assert.Equal(CaseStatus.Assigned, (await store.GetCaseAsync(workspace.Id, held.Id, Ct))!.Status);
    }

    [Fact]
    public virtual async Task AddCaseMessage_NumbersTheTranscript_AuditsADigestNotTheText_AndRefusesTheAgentWhileTakenOver()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.AddCaseMessageAsync(workspace.Id, created.Id, CaseMessageRole.Agent, "A colleague will join shortly.", Agent, Start, Ct);
        await store.TakeOverCaseAsync(workspace.Id, created.Id, Rita, Start.AddSeconds(1), Ct);

        var refused = await store.AddCaseMessageAsync(workspace.Id, created.Id, CaseMessageRole.Agent, "I can refund that.", Agent, Start.AddSeconds(2), Ct);
        var notOwner = await store.AddCaseMessageAsync(workspace.Id, created.Id, CaseMessageRole.Person, "Hi", Sam, Start.AddSeconds(2), Ct);
        await store.AddCaseMessageAsync(workspace.Id, created.Id, CaseMessageRole.Customer, "Where is my money?", Agent, Start.AddSeconds(3), Ct);
        var answered = await store.AddCaseMessageAsync(workspace.Id, created.Id, CaseMessageRole.Person, "Ana here: it is on its way.", Rita, Start.AddSeconds(4), Ct);

        Assert.Equal((CaseUpdateStatus.Conflict, CaseStatus.TakenOver), (refused.Status, refused.Case!.Status));
        Assert.Equal(CaseUpdateStatus.Conflict, notOwner.Status);
        Assert.Equal(CaseUpdateStatus.Updated, answered.Status);
        Assert.Equal(
            [
                new CaseMessage(1, CaseMessageRole.Agent, "A colleague will join shortly.", Start, Agent),
                new CaseMessage(2, CaseMessageRole.Customer, "Where is my money?", Start.AddSeconds(3), Agent),
                new CaseMessage(3, CaseMessageRole.Person, "Ana here: it is on its way.", Start.AddSeconds(4), Rita),
            ],
            (await store.GetCaseAsync(workspace.Id, created.Id, Ct))!.Transcript);
        var entries = (await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct)).Where(e => e.Action == AuditData.CaseMessage).ToList();
        Assert.Equal([Agent.Id, Agent.Id, Rita.Id], entries.Select(e => e.ActorId));
        using var data = JsonDocument.Parse(entries[^1].Data);
        Assert.Equal(3, data.RootElement.GetProperty("number").GetInt32());
        Assert.Equal("person", data.RootElement.GetProperty("role").GetString());
        Assert.Equal(AuditData.TextDigest("Ana here: it is on its way."), data.RootElement.GetProperty("textDigest").GetString());
        Assert.DoesNotContain("on its way", entries[^1].Data, StringComparison.Ordinal);
    }

    [Fact]
    public virtual async Task AddCaseMessage_ToAClosedCase_IsAConflict()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Rita, Start), CaseStatus.Approved, Ct);

        var update = await store.AddCaseMessageAsync(workspace.Id, created.Id, CaseMessageRole.Customer, "Thanks!", Agent, Start, Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, update.Status);
        Assert.Null((await store.GetCaseAsync(workspace.Id, created.Id, Ct))!.Transcript);
    }

    [Fact]
    public virtual async Task HandBackCase_ByTheOwner_ClosesItWithTheNote_AndOnlyOnce()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.TakeOverCaseAsync(workspace.Id, created.Id, Rita, Start, Ct);
        await store.AddCaseMessageAsync(workspace.Id, created.Id, CaseMessageRole.Customer, "Hello?", Agent, Start, Ct);

        var bySam = await store.HandBackCaseAsync(workspace.Id, created.Id, Sam, "not mine", Start.AddMinutes(1), Ct);
        var update = await store.HandBackCaseAsync(workspace.Id, created.Id, Rita, "Refund promised; confirm it.", Start.AddMinutes(2), Ct);
        var again = await store.HandBackCaseAsync(workspace.Id, created.Id, Rita, "again", Start.AddMinutes(3), Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, bySam.Status);
        Assert.Equal(CaseUpdateStatus.Updated, update.Status);
        Assert.Equal(CaseUpdateStatus.Conflict, again.Status);
        var stored = (await store.GetCaseAsync(workspace.Id, created.Id, Ct))!;
        Assert.Equal((CaseStatus.HandedBack, Verdict.HandBack, "Refund promised; confirm it."), (stored.Status, stored.Decision!.Verdict, stored.Decision.Text));
        Assert.Single(stored.Transcript!);
        Assert.Null(await store.GetOldestClaimSeenAsync(Ct));
        var entry = (await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct))[^1];
        Assert.Equal((AuditData.CaseHandedBack, Rita.Id), (entry.Action, entry.ActorId));
        Assert.Equal(CaseStatus.HandedBack, Assert.Single((await store.ListCasesAsync(workspace.Id, new CaseQuery(CaseStatus.HandedBack), Ct)).Items).Status);
    }

    [Fact]
    public virtual async Task ReleaseUnseenClaims_ATakeoverWhoseOwnerLeft_IsEscalatedBackToTheQueue()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.TakeOverCaseAsync(workspace.Id, created.Id, Rita, Start, Ct);
        Assert.Equal(Start, await store.GetOldestClaimSeenAsync(Ct));

        var released = Assert.Single(await store.ReleaseUnseenClaimsAsync(Start.AddMinutes(2), IdleAfter(TimeSpan.FromMinutes(2)), 10, Ct));

        Assert.Equal((CaseStatus.Escalated, (Actor?)null), (released.Status, released.AssignedTo));
    }

    [Fact]
    public virtual async Task ListOpenCases_IncludesTakenOverCases_InInboxOrder()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var first = await CreateAsync(store, NewCase(workspace.Id));
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await CreateAsync(store, NewCase(workspace.Id, team: "billing"));
        Time.Advance(TimeSpan.FromSeconds(1));
        var third = await CreateAsync(store, NewCase(workspace.Id));
        await store.TakeOverCaseAsync(workspace.Id, second.Id, Rita, Start, Ct);

        Assert.Equal([first.Id, second.Id, third.Id], (await store.ListOpenCasesAsync(workspace.Id, null, 10, Ct)).Select(c => c.Id));
        Assert.Equal([first.Id, second.Id], (await store.ListOpenCasesAsync(workspace.Id, null, 2, Ct)).Select(c => c.Id));
        Assert.Equal([second.Id], (await store.ListOpenCasesAsync(workspace.Id, ["billing"], 10, Ct)).Select(c => c.Id));
    }
}
