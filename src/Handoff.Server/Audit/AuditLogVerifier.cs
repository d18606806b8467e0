using Handoff.Core.Audit;
using Handoff.Storage;

namespace Handoff.Server.Audit;

/// <summary>
/// Walks the whole audit chain of a store page by page (what <c>handoff audit verify</c> and the dashboard's audit
/// page report). Each page is checked where the one before stopped, so memory stays one page however long the log.
/// </summary>
internal static class AuditLogVerifier
{
    private const int Page = 5000;

    /// <summary>
    /// The chain's verification and its last entry (null when the log is empty). When the chain is broken,
    /// <see cref="AuditVerification.Checked"/> counts the good entries from the start, and the last entry is the last
    /// good one.
    /// </summary>
    public static async Task<(AuditVerification Result, AuditEntry? Last)> VerifyAsync(IHandoffStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        long after = 0;
        var previousHash = AuditChain.Genesis;
        AuditEntry? last = null;
        while (true)
        {
            var page = await store.ReadAuditAsync(after, Page, cancellationToken).ConfigureAwait(false);
            var result = AuditChain.Verify(page, after, previousHash);
            if (!result.Intact)
            {
                // Sequences start at 1 with no gaps up to here, so the entries checked before this page are `after`.
                return (result with { Checked = after + result.Checked }, last);
            }

            if (page.Count > 0)
            {
                last = page[^1];
                after = last.Sequence;
                previousHash = last.Hash;
            }

            if (page.Count < Page)
            {
                return (AuditVerification.Success(after), last);
            }
        }
    }
}
