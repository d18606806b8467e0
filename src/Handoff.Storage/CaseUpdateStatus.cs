namespace Handoff.Storage;

public enum CaseUpdateStatus
{
    /// <summary>The change was made.</summary>
    Updated,
    /// <summary>No such case in this workspace.</summary>
    NotFound,
    /// <summary>The case is no longer open, or someone else holds it; <see cref="CaseUpdate.Case"/> shows who and how.</summary>
    Conflict,
    /// <summary>Taking the case would put the person over their capacity; nothing changed.</summary>
    OverCapacity,
}
