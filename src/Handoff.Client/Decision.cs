namespace Handoff.Client;

/// <summary>
/// The answer to a case. <see cref="Result"/> is what the agent should now do; <see cref="ProposalDigest"/> names the
/// proposal it was decided on and <see cref="ResultDigest"/> the result. A decision handed back by
/// <see cref="HandoffClient.WaitForDecisionAsync(SubmittedCase, WaitOptions?, CancellationToken)"/> has had both checked.
/// </summary>
public sealed record Decision
{
    /// <summary>What was decided.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>
    /// What to do now: the approved, edited or chosen proposal, or <c>{text}</c> with a person's answer; null for a
    /// rejection (nothing to execute).
    /// </summary>
    public Proposal? Result { get; init; }

    /// <summary>The 0-based index of the chosen option (<see cref="Verdict.Choose"/>).</summary>
    public int? Option { get; init; }

    /// <summary>The reason (reject) or the answer (respond).</summary>
    public string? Text { get; init; }

    /// <summary>The reviewer's note.</summary>
    public string? Note { get; init; }

    /// <summary>For <see cref="Verdict.Edit"/>: each field the person changed; empty otherwise.</summary>
    public IReadOnlyList<Change> Changes { get; init; } = [];

    /// <summary>Lowercase hex SHA-256 of the canonical JSON of the proposal the decision was taken on.</summary>
    public required string ProposalDigest { get; init; }

    /// <summary>Lowercase hex SHA-256 of the canonical JSON of <see cref="Result"/>; null when there is no result.</summary>
    public string? ResultDigest { get; init; }

    /// <summary>The reviewer, or the policy (<c>kind</c> <c>policy</c>); null when the case timed out.</summary>
    public Actor? DecidedBy { get; init; }

    /// <summary>When it was decided.</summary>
    public required DateTimeOffset DecidedAt { get; init; }

    /// <summary>True when the case's <c>onTimeout</c> made this decision because nobody decided in time: never a person.</summary>
    public bool TimedOut { get; init; }
}
