namespace Handoff.Client;

/// <summary>A case the server accepted, with what the client needs to check its decision.</summary>
/// <param name="Case">The case as the server stored it. A case the policy approved or blocked already carries its decision.</param>
/// <param name="IdempotencyKey">The key the submission was sent with (the caller's, or the one the client made).</param>
/// <param name="Replayed">True when the server had this case already (same key, same body) and created nothing.</param>
/// <param name="ProposalDigest">The digest of the proposal as this client sent it, computed here, not taken from the server.</param>
public sealed record SubmittedCase(HandoffCase Case, string IdempotencyKey, bool Replayed, string ProposalDigest)
{
    /// <summary>The case id.</summary>
    public string Id => Case.Id;

    /// <summary>
    /// For a case a person must see: whether it rings live or waits in the queue, and the expected wait, to tell the
    /// customer; null for a case the policy approved or blocked (and on a replayed submission).
    /// </summary>
    public CaseHandling? Handling => Case.Handling is { } h
        ? new CaseHandling(h.Mode, TimeSpan.FromSeconds(h.ExpectedWaitSeconds), h.Basis, h.LiveUntil)
        : null;
}
