namespace Handoff.Core.Audit;

/// <summary>
/// The result of <see cref="AuditChain.Verify(IEnumerable{AuditEntry})"/>: either the whole chain is intact
/// (<see cref="Checked"/> entries), or <see cref="FirstBadSequence"/> names the first entry that is wrong or missing
/// and <see cref="Problem"/> says how. <see cref="Checked"/> then counts the entries found good before it.
/// </summary>
public sealed record AuditVerification(bool Intact, long Checked, long? FirstBadSequence, string? Problem)
{
    public static AuditVerification Success(long @checked) => new(true, @checked, null, null);

    public static AuditVerification Failure(long @checked, long sequence, string problem) => new(false, @checked, sequence, problem);
}
