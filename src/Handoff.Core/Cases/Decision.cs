namespace Handoff.Core.Cases;

/// <summary>
/// The answer to a case. <see cref="Result"/> is what the agent should now do (the approved, edited or chosen
/// proposal, or the person's answer); it is null for reject and escalate. <see cref="ProposalDigest"/> is the
/// digest of the case's proposal, the one the decision was taken on, and <see cref="ResultDigest"/> the digest of
/// <see cref="Result"/>: an agent checks the first against what it submitted and the second against what it is
/// about to execute (see <see cref="Cases.ProposalDigest"/>).
/// A decision with <see cref="TimedOut"/> set came from the case's <c>onTimeout</c>, not from a person, and has
/// no <see cref="DecidedBy"/>.
/// </summary>
public sealed record Decision
{
    public required Verdict Verdict { get; init; }
    public Proposal? Result { get; init; }
    public int? Option { get; init; }
    public string? Text { get; init; }
    public string? Note { get; init; }
    public IReadOnlyList<Change> Changes { get; init; } = [];
    public required string ProposalDigest { get; init; }
    public string? ResultDigest { get; init; }
    public Actor? DecidedBy { get; init; }
    public required DateTimeOffset DecidedAt { get; init; }
    public bool TimedOut { get; init; }
}
