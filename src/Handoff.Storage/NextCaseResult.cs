using Handoff.Core.Cases;

namespace Handoff.Storage;

/// <summary>The answer to "next case": how it went and, when taken, the case as it now stands.</summary>
public sealed record NextCaseResult(NextCaseStatus Status, HandoffCase? Case)
{
    public static readonly NextCaseResult NothingWaiting = new(NextCaseStatus.NothingWaiting, null);
    public static readonly NextCaseResult OverCapacity = new(NextCaseStatus.OverCapacity, null);
    public static readonly NextCaseResult PersonNotFound = new(NextCaseStatus.PersonNotFound, null);
}
