namespace Handoff.Client;

/// <summary>
/// What the agent proposes: a draft text, a tool call, or both, and how sure it is. The server hashes it into the
/// decision's <see cref="Decision.ProposalDigest"/> (see <see cref="ProposalDigest"/>).
/// </summary>
public sealed record Proposal
{
    /// <summary>The draft reply or answer.</summary>
    public string? Text { get; init; }

    /// <summary>The tool call to make.</summary>
    public ToolCall? Action { get; init; }

    /// <summary>
    /// The agent's confidence, 0 to 1. Leave it out and the case counts as low confidence: it is never approved
    /// automatically.
    /// </summary>
    public double? Confidence { get; init; }
}
