using System.Text.Json.Nodes;

namespace Handoff.Client;

/// <summary>
/// A case as the server shows it. Its <see cref="Decision"/> is the server's word, not checked: to act on a
/// decision, take it from <see cref="HandoffClient.WaitForDecisionAsync(SubmittedCase, WaitOptions?, CancellationToken)"/>.
/// </summary>
public sealed record HandoffCase
{
    /// <summary>The case id (<c>cs_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Where the case stands.</summary>
    public required CaseStatus Status { get; init; }

    /// <summary>What the policy decided on submission.</summary>
    public required PolicyOutcome Outcome { get; init; }

    /// <summary>Every rule that fired, with its reason.</summary>
    public IReadOnlyList<Reason> Reasons { get; init; } = [];

    /// <summary>The team the case was queued for.</summary>
    public string? Team { get; init; }

    /// <summary>On the answer to a submission a person must see: live or queued, and the expected wait; otherwise null.</summary>
    public HandlingBody? Handling { get; init; }

    /// <summary>The case's priority.</summary>
    public Priority Priority { get; init; }

    /// <summary>The policy version that evaluated it.</summary>
    public int PolicyVersion { get; init; }

    /// <summary>The confidence floor that applied.</summary>
    public double ConfidenceFloor { get; init; }

    /// <summary>What kind of case it is.</summary>
    public required CaseKind Kind { get; init; }

    /// <summary>The one-line summary.</summary>
    public string? Summary { get; init; }

    /// <summary>The channel (<c>chat</c>, <c>email</c>, <c>voice</c>, …).</summary>
    public string? Channel { get; init; }

    /// <summary>The customer, as submitted.</summary>
    public JsonObject? Subject { get; init; }

    /// <summary>The facts the policy reads, as submitted.</summary>
    public JsonObject? Facts { get; init; }

    /// <summary>The conversation so far.</summary>
    public IReadOnlyList<Message> Conversation { get; init; } = [];

    /// <summary>The proposal, if any.</summary>
    public Proposal? Proposal { get; init; }

    /// <summary>The alternatives a reviewer may choose by index.</summary>
    public IReadOnlyList<Proposal> Options { get; init; } = [];

    /// <summary>When it was submitted.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it expires, if it has a deadline.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>What happens when it expires.</summary>
    public TimeoutEffect OnTimeout { get; init; }

    /// <summary>The key that submitted it.</summary>
    public Actor? SubmittedBy { get; init; }

    /// <summary>The reviewer who holds it, if any.</summary>
    public Actor? AssignedTo { get; init; }

    /// <summary>When it was claimed.</summary>
    public DateTimeOffset? AssignedAt { get; init; }

    /// <summary>The decision once there is one (not checked; see the type's remarks).</summary>
    public Decision? Decision { get; init; }

    /// <summary>The messages exchanged after submission (a takeover's conversation), oldest first.</summary>
    public IReadOnlyList<CaseMessage> Transcript { get; init; } = [];

    /// <summary>The agent's receipt for the approved result, once it sent one; null before.</summary>
    public ExecutionReceipt? Receipt { get; init; }

    /// <summary>For an approved case without a receipt: seconds since it was approved; null otherwise.</summary>
    public long? AwaitingExecutionSeconds { get; init; }
}
