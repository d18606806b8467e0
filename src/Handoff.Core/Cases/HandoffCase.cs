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

    /// <summary>The agent's report of what it did with the approved result; null until it sends one.</summary>
    public ExecutionReceipt? Receipt { get; init; }

    /// <summary>A person's after-the-fact check of a case approved without one (the QA queue); null until checked.</summary>
    public Learning.QaReview? Qa { get; init; }

    /// <summary>
    /// The approvals a case that needs several (<c>approvals: 2</c> in the policy) has collected, in order; the last
    /// is the one that completed it. Null for a case that needs one approval, and until the first comes.
    /// </summary>
    public IReadOnlyList<Decision>? Approvals { get; init; }

    /// <summary>The offer ringing now (push teams), or null.</summary>
    public CaseOffer? Offer { get; init; }

    /// <summary>
    /// The people who declined the case or let its offer lapse: it is not offered to them again while it waits. Null
    /// when nobody has.
    /// </summary>
    public IReadOnlyList<string>? PassedOver { get; init; }

    /// <summary>
    /// For a live case (a customer waiting on the line): until when it rings before falling back to the queue. Null
    /// for a queued case.
    /// </summary>
    public DateTimeOffset? LiveUntil { get; init; }

    /// <summary>When a live case fell back to the queue because nobody picked up in time; null otherwise.</summary>
    public DateTimeOffset? LiveFallbackAt { get; init; }

    /// <summary>Whether the case is (or became) a live conversation: rung live and not fallen back.</summary>
    public bool IsLive() => LiveUntil is not null && LiveFallbackAt is null;

    /// <summary>When the case is at risk, due, and what its breach ladder does when; null when it has no SLA.</summary>
    public CaseSla? Sla { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// Where the agent wants the case's decision posted (a signed webhook, see docs/notifications.md), or null. Given at
    /// submission; an absolute http or https URL.
    /// </summary>
    public string? CallbackUrl { get; init; }

    /// <summary>
    /// The messages exchanged after submission (the customer's relayed by the agent, the person's, the agent's own),
    /// oldest first, numbered from 1; null while there are none, so documents written before takeovers read unchanged.
    /// </summary>
    public IReadOnlyList<CaseMessage>? Transcript { get; init; }
}
