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
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// The messages exchanged after submission (the customer's relayed by the agent, the person's, the agent's own),
    /// oldest first, numbered from 1; null while there are none, so documents written before takeovers read unchanged.
    /// </summary>
    public IReadOnlyList<CaseMessage>? Transcript { get; init; }
}
