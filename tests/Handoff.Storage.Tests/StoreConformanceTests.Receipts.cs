using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

/// <summary>Execution receipts: one per approved case, audited, a mismatch kept with it; nothing to execute otherwise.</summary>
public abstract partial class StoreConformanceTests
{
    private static readonly string ApprovedDigest = new('b', 64);

    private static readonly Actor SupportBot = new("agent", "key_bot", "support-bot");

    private HandoffCase ApprovedForExecution(string workspaceId) => NewCase(workspaceId, status: CaseStatus.Approved) with
    {
        Decision = DecisionBy(Rita, Start) with { ResultDigest = ApprovedDigest },
    };

    private static ExecutionReceipt Receipt(ExecutionOutcome outcome, string? digest, DateTimeOffset at, string? reason = null) =>
        new() { Outcome = outcome, ResultDigest = digest, Reason = reason, At = at, By = SupportBot };

    [Fact]
    public virtual async Task Receipts_AreRecordedOncePerApprovedCase_AndAudited_WithAMismatchFlagged()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var matching = await CreateAsync(store, ApprovedForExecution(workspace.Id));
        var other = await CreateAsync(store, ApprovedForExecution(workspace.Id));
        var failed = await CreateAsync(store, ApprovedForExecution(workspace.Id));

        var first = await store.RecordReceiptAsync(workspace.Id, matching.Id, Receipt(ExecutionOutcome.Executed, ApprovedDigest, Start.AddMinutes(2)), Ct);
        var again = await store.RecordReceiptAsync(workspace.Id, matching.Id, Receipt(ExecutionOutcome.Failed, null, Start.AddMinutes(3), "again"), Ct);
        var mismatched = await store.RecordReceiptAsync(workspace.Id, other.Id, Receipt(ExecutionOutcome.Executed, new string('c', 64), Start.AddMinutes(2)), Ct);
        var gaveUp = await store.RecordReceiptAsync(workspace.Id, failed.Id, Receipt(ExecutionOutcome.Failed, null, Start.AddMinutes(2), "The payment API refused: card expired."), Ct);

        Assert.Equal(CaseUpdateStatus.Updated, first.Status);
        Assert.False(first.Case!.Receipt!.Mismatch);
        Assert.Equal(CaseUpdateStatus.Conflict, again.Status);
        Assert.Equal(ExecutionOutcome.Executed, (await store.GetCaseAsync(workspace.Id, matching.Id, Ct))!.Receipt!.Outcome);
        Assert.True((await store.GetCaseAsync(workspace.Id, other.Id, Ct))!.Receipt!.Mismatch);
        Assert.Equal("The payment API refused: card expired.", (await store.GetCaseAsync(workspace.Id, failed.Id, Ct))!.Receipt!.Reason);
        Assert.Equal(CaseUpdateStatus.Updated, gaveUp.Status);
        Assert.Equal(CaseUpdateStatus.Updated, mismatched.Status);

        var executed = (await store.GetCaseHistoryAsync(workspace.Id, other.Id, Ct))[^1];
        Assert.Equal(("case.executed", "key_bot"), (executed.Action, executed.ActorId));
        Assert.Contains("\"mismatch\":true", executed.Data, StringComparison.Ordinal);
        Assert.Contains(ApprovedDigest, executed.Data, StringComparison.Ordinal);
        Assert.Equal("case.executionFailed", (await store.GetCaseHistoryAsync(workspace.Id, failed.Id, Ct))[^1].Action);
        // The refused second receipt wrote nothing.
        Assert.Equal(2, (await store.GetCaseHistoryAsync(workspace.Id, matching.Id, Ct)).Count);
    }

    [Fact]
    public virtual async Task Receipts_TheApprovedCasesWithoutOne_AreListed_AndNoOthers()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("other", Actor.Cli("ops"), Ct);
        var waiting = await CreateAsync(store, ApprovedForExecution(workspace.Id));
        var done = await CreateAsync(store, ApprovedForExecution(workspace.Id));
        await store.RecordReceiptAsync(workspace.Id, done.Id, Receipt(ExecutionOutcome.Failed, null, Start.AddMinutes(1), "down"), Ct);
        await CreateAsync(store, NewCase(workspace.Id));
        await CreateAsync(store, NewCase(workspace.Id, status: CaseStatus.Rejected) with { Decision = DecisionBy(Rita, Start, Verdict.Reject) });
        await CreateAsync(store, ApprovedForExecution(other.Id));

        var page = await store.ListCasesAsync(workspace.Id, new CaseQuery(AwaitingExecution: true), Ct);

        Assert.Equal([waiting.Id], page.Items.Select(static c => c.Id));
    }

    [Fact]
    public virtual async Task Receipts_ForACaseThatIsNotApproved_OrInAnotherWorkspace_AreRefused()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("other", Actor.Cli("ops"), Ct);
        var pending = await CreateAsync(store, NewCase(workspace.Id));
        var rejected = await CreateAsync(store, NewCase(workspace.Id, status: CaseStatus.Rejected) with { Decision = DecisionBy(Rita, Start, Verdict.Reject) });
        var elsewhere = await CreateAsync(store, ApprovedForExecution(other.Id));
        var receipt = Receipt(ExecutionOutcome.Executed, ApprovedDigest, Start.AddMinutes(1));

        Assert.Equal(CaseUpdateStatus.Conflict, (await store.RecordReceiptAsync(workspace.Id, pending.Id, receipt, Ct)).Status);
        Assert.Equal(CaseUpdateStatus.Conflict, (await store.RecordReceiptAsync(workspace.Id, rejected.Id, receipt, Ct)).Status);
        Assert.Equal(CaseUpdateStatus.NotFound, (await store.RecordReceiptAsync(workspace.Id, elsewhere.Id, receipt, Ct)).Status);
        Assert.Null((await store.GetCaseAsync(other.Id, elsewhere.Id, Ct))!.Receipt);
        Assert.Null((await store.GetCaseAsync(workspace.Id, pending.Id, Ct))!.Receipt);
    }
}
