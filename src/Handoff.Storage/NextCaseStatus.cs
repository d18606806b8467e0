namespace Handoff.Storage;

/// <summary>What came of asking for the next case (<see cref="IHandoffStore.TakeNextCaseAsync"/>).</summary>
public enum NextCaseStatus
{
    /// <summary>The case is now the person's; <see cref="NextCaseResult.Case"/> is it.</summary>
    Taken,
    /// <summary>No waiting case of the person's pull teams fits their skills and languages.</summary>
    NothingWaiting,
    /// <summary>A case fits them, but taking it would put them over their capacity; nothing changed.</summary>
    OverCapacity,
    /// <summary>No such person in the workspace, or they are disabled.</summary>
    PersonNotFound,
}
