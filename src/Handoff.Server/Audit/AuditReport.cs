using Handoff.Core.Audit;

namespace Handoff.Server.Audit;

/// <summary>
/// What <see cref="AuditLogVerifier.CheckAsync"/> found: the hash chain's verification, its last good entry, and every
/// other problem as one sentence each (a broken entry, a checkpoint the log no longer extends, a case whose stored
/// state its entries do not bear out), and the entries still waiting to be sealed (<see cref="Unsealed"/>, replayed
/// into the cases' check after the sealed log).
/// </summary>
internal sealed record AuditReport(AuditVerification Chain, AuditEntry? Last, IReadOnlyList<string> Problems, int CasesChecked, Storage.UnsealedAudit Unsealed)
{
    public bool Intact => Chain.Intact && Problems.Count == 0;
}
