using Handoff.Core.Audit;

namespace Handoff.Server.Audit;

/// <summary>
/// What <see cref="AuditLogVerifier.CheckAsync"/> found: the hash chain's verification, its last good entry, and every
/// other problem as one sentence each (a broken entry, a checkpoint the log no longer extends, a case whose stored
/// state its entries do not bear out).
/// </summary>
internal sealed record AuditReport(AuditVerification Chain, AuditEntry? Last, IReadOnlyList<string> Problems, int CasesChecked)
{
    public bool Intact => Chain.Intact && Problems.Count == 0;
}
