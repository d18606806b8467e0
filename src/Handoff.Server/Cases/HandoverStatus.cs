namespace Handoff.Server.Cases;

/// <summary>How a reassignment or transfer went.</summary>
internal enum HandoverStatus
{
    /// <summary>The case was handed on (or already was where it was sent).</summary>
    Done,
    /// <summary>No such case in the workspace.</summary>
    NotFound,
    /// <summary>A field of the request is wrong (<see cref="HandoverResult.Field"/>); nothing changed.</summary>
    Invalid,
    /// <summary>The caller may not hand this case on (they do not hold it and are not a supervisor).</summary>
    Forbidden,
    /// <summary>The case is closed, or changed hands meanwhile; <see cref="HandoverResult.Case"/> shows how it stands.</summary>
    Conflict,
    /// <summary>The person it would go to has no room for it within their capacity (<see cref="HandoverResult.Message"/>); nothing changed.</summary>
    OverCapacity,
}
