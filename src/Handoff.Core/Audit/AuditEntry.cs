namespace Handoff.Core.Audit;

/// <summary>
/// One entry of the append-only audit log. <see cref="Hash"/> covers every other field and the previous entry's
/// hash, so changing or removing any stored entry breaks the chain from there on.
/// </summary>
public sealed record AuditEntry
{
    public required long Sequence { get; init; }
    public required string WorkspaceId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string ActorKind { get; init; }
    public required string ActorId { get; init; }
    public required string ActorName { get; init; }
    /// <summary>What happened, e.g. <c>case.created</c>, <c>case.decided</c>, <c>policy.published</c>.</summary>
    public required string Action { get; init; }
    /// <summary>The id of what it happened to (a case id, a policy version, a key id), or empty.</summary>
    public required string Subject { get; init; }
    /// <summary>Details as a JSON document.</summary>
    public required string Data { get; init; }
    public required string PreviousHash { get; init; }
    public required string Hash { get; init; }
}
