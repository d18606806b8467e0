namespace Handoff.Core.Audit;

/// <summary>
/// A signed note of how far the audit log reached: its first <see cref="Size"/> entries, ending at
/// <see cref="HeadSequence"/> with <see cref="HeadHash"/>. Kept outside the database, it shows later that the log was
/// not cut short or rewritten up to that point (see <see cref="AuditCheckpoints"/>). Serialized as a small JSON
/// document in Handoff's JSON shape.
/// </summary>
public sealed record AuditCheckpoint
{
    /// <summary>What this document is and which version of it; <see cref="AuditCheckpoints.Format"/>.</summary>
    public required string Format { get; init; }

    /// <summary>How many entries the log held, in every workspace: entries 1 to <see cref="Size"/>.</summary>
    public required long Size { get; init; }

    /// <summary>The last entry's sequence (equal to <see cref="Size"/>, since sequences have no gaps; 0 for an empty log).</summary>
    public required long HeadSequence { get; init; }

    /// <summary>The last entry's hash (<see cref="AuditChain.Genesis"/> for an empty log).</summary>
    public required string HeadHash { get; init; }

    /// <summary>
    /// The Merkle root of entries 1 to <see cref="Size"/> (<see cref="AuditTree"/>), lowercase hex, against which
    /// <c>handoff audit prove</c>'s inclusion proofs are checked; null in v1 checkpoints, which did not sign one.
    /// </summary>
    public string? RootHash { get; init; }

    /// <summary>When the checkpoint was made (UTC, whole microseconds).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary><c>sha256:</c> and the lowercase hex SHA-256 of the signing key's public key (DER SubjectPublicKeyInfo).</summary>
    public required string KeyId { get; init; }

    /// <summary>The signing key's public key as PEM, for reading only: a signature is checked against a key the verifier trusts.</summary>
    public required string PublicKey { get; init; }

    /// <summary>Base64 ECDSA P-256 SHA-256 signature (r ‖ s, 64 bytes) over <see cref="AuditCheckpoints.SignedText"/>.</summary>
    public required string Signature { get; init; }
}
