namespace Handoff.Core.Audit;

/// <summary>
/// One entry of the append-only audit log. <see cref="Hash"/> covers every other field (but <see cref="Id"/>) and the
/// previous entry's hash, so changing or removing any stored entry breaks the chain from there on. An entry is written
/// unsealed — no place in the chain, no hashes — where writers run in parallel (PostgreSQL), and a sealer chains it
/// shortly after its transaction commits; where one writer writes (SQLite) it is sealed as it is written.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>
    /// The entry's id, given as it is written and never changed: the order of one case's entries (each write of a case
    /// holds the case until it commits). Equal to <see cref="Sequence"/> for entries sealed as they were written.
    /// </summary>
    public long Id { get; init; }

    /// <summary>The entry's place in the chain, from 1; 0 until it is sealed.</summary>
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
    /// <summary>The hash of the entry before it in the chain; empty until it is sealed.</summary>
    public required string PreviousHash { get; init; }
    /// <summary>The entry's hash; empty until it is sealed.</summary>
    public required string Hash { get; init; }

    /// <summary>Whether the entry has its place in the chain.</summary>
    public bool IsSealed => Sequence > 0;
}
