using Handoff.Core.Policy;

namespace Handoff.Core.Cases;

/// <summary>A stored case: what the agent submitted, what the policy said, and where it stands.</summary>
public sealed record HandoffCase
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required CaseContent Content { get; init; }
    public required Evaluation Evaluation { get; init; }
    public required CaseStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public TimeoutEffect OnTimeout { get; init; } = TimeoutEffect.Reject;
    public string? IdempotencyKey { get; init; }
    public Actor? SubmittedBy { get; init; }
    public Actor? AssignedTo { get; init; }
    public DateTimeOffset? AssignedAt { get; init; }
    public Decision? Decision { get; init; }

    /// <summary>
    /// The approvals a case that needs several (<c>approvals: 2</c> in the policy) has collected, in order; the last
    /// is the one that completed it. Null for a case that needs one approval, and until the first comes.
    /// </summary>
    public IReadOnlyList<Decision>? Approvals { get; init; }

    /// <summary>When the case is at risk, due, and what its breach ladder does when; null when it has no SLA.</summary>
    public CaseSla? Sla { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
