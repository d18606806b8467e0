using Handoff.Core.Cases;

namespace Handoff.Server.Cases;

/// <summary>The outcome of a reassignment or transfer: the case as it stands, or the field at fault and why.</summary>
internal sealed record HandoverResult(HandoverStatus Status, HandoffCase? Case, string? Field = null, string? Message = null)
{
    public static HandoverResult Invalid(string field, string message) => new(HandoverStatus.Invalid, null, field, message);
}
