namespace Handoff.Storage;

/// <summary>
/// What became of a team write. The references a team makes are checked inside the write, so a team is never stored
/// pointing at an overflow team or supervisor that a concurrent write removed.
/// </summary>
public enum TeamResultStatus
{
    /// <summary>Written (or, for an update that changes nothing, already so).</summary>
    Done,
    /// <summary>No such team in the workspace.</summary>
    NotFound,
    /// <summary>The workspace already has a team with this name.</summary>
    NameTaken,
    /// <summary>The overflow team does not exist in the workspace.</summary>
    UnknownOverflow,
    /// <summary>The supervisor is not a user of the workspace.</summary>
    UnknownSupervisor,
    /// <summary>Another team overflows to this one, so it cannot be removed; <see cref="TeamResult.OverflowFrom"/> names them.</summary>
    InUse,
}
