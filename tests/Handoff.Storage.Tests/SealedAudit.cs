using Handoff.Core.Audit;

namespace Handoff.Storage.Tests;

/// <summary>
/// Reads of the sealed audit log as the tests make them: the entries written so far sealed first, as a node's sealer
/// would shortly after their commits (a no-op where entries are sealed as they are written).
/// </summary>
internal static class SealedAudit
{
    public static async Task<int> SealAllAsync(this IHandoffStore store, CancellationToken cancellationToken = default)
    {
        var sealedCount = 0;
        for (int count; (count = await store.SealAuditAsync(1000, cancellationToken)) > 0;)
        {
            sealedCount += count;
        }

        return sealedCount;
    }

    public static async Task<IReadOnlyList<AuditEntry>> ReadSealedAuditAsync(this IHandoffStore store, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        await store.SealAllAsync(cancellationToken);
        return await store.ReadAuditAsync(afterSequence, limit, cancellationToken);
    }

    public static async Task<IReadOnlyList<AuditEntry>> SearchSealedAuditAsync(this IHandoffStore store, string workspaceId, AuditQuery query, CancellationToken cancellationToken = default)
    {
        await store.SealAllAsync(cancellationToken);
        return await store.SearchAuditAsync(workspaceId, query, cancellationToken);
    }

    public static async Task<int> SealAndRollUpAsync(this IHandoffStore store, int maxEntries, CancellationToken cancellationToken = default)
    {
        await store.SealAllAsync(cancellationToken);
        return await store.RollUpClosedCasesAsync(maxEntries, cancellationToken);
    }
}
