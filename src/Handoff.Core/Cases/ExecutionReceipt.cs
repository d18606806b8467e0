using System.Text.Json;

namespace Handoff.Core.Cases;

/// <summary>What the agent did with an approved case.</summary>
public enum ExecutionOutcome
{
    /// <summary>It ran the approved result.</summary>
    Executed,

    /// <summary>It tried and could not (the reason says why).</summary>
    Failed,
}

/// <summary>
/// The agent's receipt for an approved case: that it ran the result (with the digest of what it ran, which should be
/// the approved result's) or that it failed (with a reason). Exactly one per case; it closes the loop between
/// "approved" and "done", where approvals otherwise get lost.
/// </summary>
public sealed record ExecutionReceipt
{
    public required ExecutionOutcome Outcome { get; init; }

    /// <summary>For <see cref="ExecutionOutcome.Executed"/>: the SHA-256 digest (<see cref="ProposalDigest"/>) of what ran.</summary>
    public string? ResultDigest { get; init; }

    /// <summary>For <see cref="ExecutionOutcome.Failed"/>: why; optional for an executed one (a note).</summary>
    public string? Reason { get; init; }

    public required DateTimeOffset At { get; init; }

    public required Actor By { get; init; }

    /// <summary>Whether what ran differs from what was approved: the case's decision's result digest is another.</summary>
    public bool Mismatch { get; init; }
}

/// <summary>The rules of execution receipts.</summary>
public static class ExecutionReceipts
{
    /// <summary>Why <paramref name="by"/> may not send the case's receipt, or null: the key that submitted it does, and admins.</summary>
    public static string? NotTheirs(HandoffCase current, Actor by, bool admin)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(by);
        return admin || current.SubmittedBy is null || current.SubmittedBy.Id == by.Id
            ? null
            : $"Only the agent that submitted the case ({current.SubmittedBy.Name}) sends its receipt, or an admin key.";
    }

    /// <summary>The longest reason a receipt may carry, in characters.</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>
    /// The case with <paramref name="receipt"/> recorded (its <see cref="ExecutionReceipt.Mismatch"/> set against the
    /// approved result), or null when the case cannot take one (see <see cref="Refusal"/>).
    /// </summary>
    public static HandoffCase? Apply(HandoffCase current, ExecutionReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(receipt);
        if (!CanTake(current))
        {
            return null;
        }

        var mismatch = receipt.Outcome == ExecutionOutcome.Executed && !string.Equals(receipt.ResultDigest, current.Decision!.ResultDigest, StringComparison.Ordinal);
        return current with { Receipt = receipt with { Mismatch = mismatch }, UpdatedAt = receipt.At };
    }

    /// <summary>Why the case cannot take a receipt, or null when it can: only an approved result is executed, and only once.</summary>
    public static string? Refusal(HandoffCase current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.Receipt is { } done ? $"The case already has its receipt ({(done.Outcome == ExecutionOutcome.Executed ? "executed" : "failed")}); a case takes one."
            : current.Status != CaseStatus.Approved ? $"The case is {JsonNamingPolicy.CamelCase.ConvertName(current.Status.ToString())}, not approved: there is nothing to execute."
            : current.Decision?.ResultDigest is null ? "The case was approved with no result to carry out (an answer, not an action or reply): there is nothing to execute."
            : null;
    }

    /// <summary>How long an approved case has waited for its receipt at <paramref name="now"/>; null when it has one or needs none.</summary>
    public static TimeSpan? AwaitingSince(HandoffCase current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return CanTake(current) ? now - current.Decision!.DecidedAt : null;
    }

    /// <summary>What is wrong with a receipt's reason for <paramref name="outcome"/>, or null: required for failed, and bounded.</summary>
    public static string? ReasonProblem(ExecutionOutcome? outcome, string? reason) =>
        reason is { Length: > MaxReasonLength } ? $"At most {MaxReasonLength:N0} characters."
        : outcome == ExecutionOutcome.Failed && string.IsNullOrWhiteSpace(reason) ? "Required for failed: why it could not be done."
        : null;

    // Every case view asks (AwaitingSince), so the test allocates nothing; Refusal words it for the few that are refused.
    private static bool CanTake(HandoffCase current) =>
        current is { Receipt: null, Status: CaseStatus.Approved, Decision.ResultDigest: not null };
}
