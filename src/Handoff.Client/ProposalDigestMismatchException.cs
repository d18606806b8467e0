namespace Handoff.Client;

/// <summary>
/// A decision that is not about what the agent proposed, or whose result is not what its digest names. The client
/// refuses it rather than hand it back: act on nothing, and look at the case in the dashboard and its audit log.
/// </summary>
public sealed class ProposalDigestMismatchException : HandoffException
{
    /// <summary>Creates the exception for one digest that did not match.</summary>
    /// <param name="caseId">The case.</param>
    /// <param name="digest">Which digest: <c>proposalDigest</c> or <c>resultDigest</c>.</param>
    /// <param name="expected">What it should have been.</param>
    /// <param name="actual">What the decision says (null when absent).</param>
    public ProposalDigestMismatchException(string caseId, string digest, string expected, string? actual)
        : base($"Refusing the decision on case {caseId}: its {digest} is {actual ?? "missing"}, but {expected} was expected, so it is not about what was proposed.")
    {
        CaseId = caseId;
        Digest = digest;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The case whose decision was refused.</summary>
    public string CaseId { get; }

    /// <summary>Which digest did not match: <c>proposalDigest</c> or <c>resultDigest</c>.</summary>
    public string Digest { get; }

    /// <summary>The digest the client computed.</summary>
    public string Expected { get; }

    /// <summary>The digest the decision carried (null when absent).</summary>
    public string? Actual { get; }
}
