using Handoff.Core.Cases;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    /// <inheritdoc />
    public Task<CaseUpdate> RecordReceiptAsync(string workspaceId, string caseId, ExecutionReceipt receipt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(receipt);
        return _writer.RunAsync(
            w => Transition(
                w, workspaceId, caseId, current => ExecutionReceipts.Apply(current, receipt), receipt.By,
                static changed => changed.Receipt!.Outcome == ExecutionOutcome.Executed ? AuditData.CaseExecuted : AuditData.CaseExecutionFailed,
                AuditData.Receipt),
            cancellationToken);
    }
}
