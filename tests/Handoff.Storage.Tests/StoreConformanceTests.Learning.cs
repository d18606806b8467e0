using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Core.Policy;
using Handoff.Storage.Learning;

namespace Handoff.Storage.Tests;

/// <summary>The decision ledger learning reads: written with people's decisions, paged, and searched for precedents.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task Decisions_APersonsDecision_IsInTheLedger_WithWhatLearningReads()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));

        await store.DecideCaseAsync(workspace.Id, created.Id, DecisionBy(Alice, Start.AddMinutes(5), Verdict.Edit), CaseStatus.Approved, Ct);
        var page = await store.ListDecisionsAsync(workspace.Id, Start, cancellationToken: Ct);

        var record = Assert.Single(page.Records);
        Assert.Null(page.Next);
        Assert.Equal(created.Id, record.CaseId);
        Assert.Equal((Start, Start.AddMinutes(5)), (record.CreatedAt, record.DecidedAt));
        Assert.Equal((CaseKind.Action, "refund", "refund", 0.62), (record.Kind, record.Action, record.Intent, record.Confidence));
        Assert.Equal(["big-refund", "low-confidence"], record.Rules);
        Assert.Equal((Verdict.Edit, Alice.Id, false), (record.Verdict, record.DecidedBy, record.ApprovedUnchanged));
        Assert.Equal("Refund order 1042\nI want my money back.\nLet me check that for you.\nI have refunded 1,250.50.\n", record.Text);
    }

    [Fact]
    public virtual async Task Decisions_NotAPersonsJudgement_StayOutOfTheLedger()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        // Approved by the policy at submission, and decided by a timeout.
        var auto = NewCase(workspace.Id, status: CaseStatus.Approved) with
        {
            Decision = DecisionBy(new Actor(Actor.PolicyKind, "policy-v1", "Policy version 1"), Start),
            Evaluation = new Evaluation(Outcome.Auto, [], "support", Priority.Normal, 0.8, 1),
        };
        await CreateAsync(store, auto);
        var expiring = await CreateAsync(store, NewCase(workspace.Id, expiresAt: Start.AddMinutes(1)));
        Time.Advance(TimeSpan.FromMinutes(2));
        await store.ExpireDueCasesAsync(Time.GetUtcNow(), 10, Ct);

        Assert.Equal(CaseStatus.Rejected, (await store.GetCaseAsync(workspace.Id, expiring.Id, Ct))!.Status);
        Assert.Empty((await store.ListDecisionsAsync(workspace.Id, Start, cancellationToken: Ct)).Records);
    }

    [Fact]
    public virtual async Task Decisions_ArePagedInTheOrderRecorded_PerWorkspace_FromATime()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("other", Actor.Cli("ops"), Ct);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var c = await CreateAsync(store, NewCase(workspace.Id));
            await store.DecideCaseAsync(workspace.Id, c.Id, DecisionBy(Alice, Start.AddMinutes(i)), CaseStatus.Approved, Ct);
            ids.Add(c.Id);
        }

        var elsewhere = await CreateAsync(store, NewCase(other.Id));
        await store.DecideCaseAsync(other.Id, elsewhere.Id, DecisionBy(Alice, Start), CaseStatus.Approved, Ct);

        var first = await store.ListDecisionsAsync(workspace.Id, Start, limit: 2, cancellationToken: Ct);
        var second = await store.ListDecisionsAsync(workspace.Id, Start, first.Next!.Value, limit: 2, cancellationToken: Ct);
        var third = await store.ListDecisionsAsync(workspace.Id, Start, second.Next!.Value, limit: 2, cancellationToken: Ct);
        var recent = await store.ListDecisionsAsync(workspace.Id, Start.AddMinutes(3), cancellationToken: Ct);

        Assert.Equal(ids, first.Records.Concat(second.Records).Concat(third.Records).Select(static r => r.CaseId));
        Assert.Null(third.Next);
        Assert.Equal(ids[3..], recent.Records.Select(static r => r.CaseId));
    }

    [Fact]
    public virtual async Task Precedents_AreFoundByTheirWords_SameActionFirst_InTheWorkspaceOnly()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("other", Actor.Cli("ops"), Ct);
        var refund = await DecidedAsync(store, workspace.Id, "My espresso machine arrived broken, I want a refund", "refund");
        var voucher = await DecidedAsync(store, workspace.Id, "The espresso machine is broken, can I get a voucher", "voucher");
        await DecidedAsync(store, workspace.Id, "Where is my parcel? Tracking shows nothing", "track");
        await DecidedAsync(store, other.Id, "Broken espresso machine refund please", "refund");
        var current = await CreateAsync(store, Written(workspace.Id, "Espresso machine broken on arrival", "refund"));

        var found = await store.FindPrecedentsAsync(
            workspace.Id, new PrecedentQuery(DecisionText.Terms("Espresso machine broken on arrival"), "refund", current.Id), Ct);

        Assert.Equal([refund, voucher], found.Select(static m => m.Record.CaseId));
        Assert.Empty(await store.FindPrecedentsAsync(workspace.Id, new PrecedentQuery(["zeppelin"], null, null), Ct));
        Assert.Empty(await store.FindPrecedentsAsync(workspace.Id, new PrecedentQuery([], null, null), Ct));
    }

    [Fact]
    public virtual async Task Precedents_QueryTermsThatAreNotWords_AreDropped_NotPassedToTheSearch()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var refund = await DecidedAsync(store, workspace.Id, "Broken kettle, refund", "refund");

        var found = await store.FindPrecedentsAsync(workspace.Id, new PrecedentQuery(["kettle", "\" OR *", "a:b", "x' | !y"], null, null), Ct);

        Assert.Equal([refund], found.Select(static m => m.Record.CaseId));
    }

    [Fact]
    public virtual async Task Precedents_OfADecidedCase_AreFound_ThoughItsRarestWordsAreItsOwn()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var kettle = await DecidedAsync(store, workspace.Id, "Broken kettle, order ZX99117, refund", "refund");
        var other = await DecidedAsync(store, workspace.Id, "Broken kettle, refund please", "refund");
        var café = await DecidedAsync(store, workspace.Id, "Café crème machine leaks", "refund");

        var found = await store.FindPrecedentsAsync(workspace.Id, new PrecedentQuery(DecisionText.Terms("Broken kettle, order ZX99117, refund"), "refund", kettle), Ct);
        var accented = await store.FindPrecedentsAsync(workspace.Id, new PrecedentQuery(DecisionText.Terms("café crème leaks again"), "refund", null), Ct);

        Assert.Equal(other, found.First().Record.CaseId);
        Assert.DoesNotContain(kettle, found.Select(static m => m.Record.CaseId));
        Assert.Equal(café, accented.First().Record.CaseId);
    }

    [Fact]
    public virtual async Task Embeddings_OfAnEmptyLedger_HaveNoBacklog()
    {
        var (store, _) = await CreateStoreWithWorkspaceAsync();

        Assert.Equal(0, await store.NewestDecisionSeqAsync(Ct));
        Assert.Empty(await store.ListDecisionsToEmbedAsync("m1", 0, 10, Ct));
    }

    [Fact]
    public virtual async Task Embeddings_AreTheBacklogUntilSaved_KeptOnce_AndReadInTheWorkspaceOnly()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("other", Actor.Cli("ops"), Ct);
        var kettle = await DecidedAsync(store, workspace.Id, "Broken kettle, refund", "refund");
        var parcel = await DecidedAsync(store, workspace.Id, "Where is my parcel", "track");
        var voucher = await DecidedAsync(store, workspace.Id, "A voucher instead", "voucher");
        var elsewhere = await DecidedAsync(store, other.Id, "Broken kettle elsewhere", "refund");

        var backlog = await store.ListDecisionsToEmbedAsync("m1", 0, 10, Ct);
        Assert.Equal(4, backlog.Count);
        Assert.Equal(backlog.Max(static b => b.Seq), await store.NewestDecisionSeqAsync(Ct));
        Assert.Equal([.. backlog.Select(static b => b.Seq).Order()], backlog.Select(static b => b.Seq));
        Assert.StartsWith("Broken kettle, refund", backlog[0].Text, StringComparison.Ordinal);

        float[] first = [0.6f, 0.8f, -0f, 1e-7f];
        await store.SaveDecisionEmbeddingsAsync("m1", [(backlog[0].Seq, first), (backlog[1].Seq, [0f, 1f, 0f, 0f]), (backlog[3].Seq, [1f, 0f, 0f, 0f]), (backlog[3].Seq + 1000, [1f, 0f, 0f, 0f])], Ct);
        await store.SaveDecisionEmbeddingsAsync("m1", [(backlog[0].Seq, [1f, 1f, 1f, 1f])], Ct);

        Assert.Equal([backlog[2].Seq], (await store.ListDecisionsToEmbedAsync("m1", 0, 10, Ct)).Select(static b => b.Seq));
        Assert.Empty(await store.ListDecisionsToEmbedAsync("m1", backlog[2].Seq, 10, Ct));
        Assert.Equal(2, (await store.ListDecisionsToEmbedAsync("m2", backlog[1].Seq, 10, Ct)).Count);
        Assert.Single(await store.ListDecisionsToEmbedAsync("m2", 0, 1, Ct));

        var read = await store.GetDecisionEmbeddingsAsync(workspace.Id, "m1", [kettle, parcel, voucher, elsewhere, "case_nope"], Ct);
        Assert.Equal(new[] { kettle, parcel }.Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(first, read[kettle]);
        Assert.Empty(await store.GetDecisionEmbeddingsAsync(workspace.Id, "m2", [kettle], Ct));
        Assert.Empty(await store.GetDecisionEmbeddingsAsync(workspace.Id, "m1", [], Ct));
        Assert.Equal([elsewhere], (await store.GetDecisionEmbeddingsAsync(other.Id, "m1", [kettle, elsewhere], Ct)).Keys);
    }

    private async Task<string> DecidedAsync(IHandoffStore store, string workspaceId, string text, string action)
    {
        var c = await CreateAsync(store, Written(workspaceId, text, action));
        await store.DecideCaseAsync(workspaceId, c.Id, DecisionBy(Alice, Start.AddMinutes(1)), CaseStatus.Approved, Ct);
        return c.Id;
    }

    private HandoffCase Written(string workspaceId, string text, string action)
    {
        var c = NewCase(workspaceId);
        return c with
        {
            Content = c.Content with
            {
                Summary = text,
                Conversation = [new Message("customer", text)],
                Proposal = new Proposal("Done.", new ToolCall(action, default), 0.5),
            },
        };
    }
}
