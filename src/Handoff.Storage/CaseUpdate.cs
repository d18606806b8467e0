using Handoff.Core.Cases;

namespace Handoff.Storage;

/// <summary>The result of a claim, release or decision: the case as it now stands (null only when not found).</summary>
public sealed record CaseUpdate(CaseUpdateStatus Status, HandoffCase? Case)
{
    public static readonly CaseUpdate NotFound = new(CaseUpdateStatus.NotFound, null);
}
