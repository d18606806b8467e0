using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Handoff.Core.Audit;

/// <summary>
/// Makes, reads and checks <see cref="AuditCheckpoint"/>s. The signature is ECDSA over P-256 with SHA-256 (the
/// framework's own <see cref="ECDsa"/>), over the UTF-8 bytes of <see cref="SignedText"/>: seven lines, each ending in
/// <c>\n</c>: the format, then <c>size=</c>, <c>head=</c>, <c>hash=</c>, <c>root=</c> (the Merkle root, <see cref="AuditTree"/>),
/// <c>at=</c> (round-trip <c>O</c> form, UTC) and <c>key=</c> (the key id). Version 1 checkpoints, without the root
/// line, are still read and checked. Anyone holding the database but not the private key can change the log and copy a
/// checkpoint's public key, but cannot sign a new checkpoint that a verifier's trusted key accepts.
/// </summary>
public static class AuditCheckpoints
{
    /// <summary>The <see cref="AuditCheckpoint.Format"/> this version writes and reads.</summary>
    public const string Format = "handoff.audit.checkpoint.v2";

    /// <summary>The first format, which signed no Merkle root; still read and checked.</summary>
    public const string FormatV1 = "handoff.audit.checkpoint.v1";

    private static readonly JsonSerializerOptions Indented = new(HandoffJson.Options) { WriteIndented = true };

    // A document from elsewhere: a field that must have a value and is null is refused as it is read.
    private static readonly JsonSerializerOptions Reading = new(HandoffJson.Options) { RespectNullableAnnotations = true };

    /// <summary>The text that is signed, from the checkpoint's own fields.</summary>
    public static string SignedText(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var root = checkpoint.Format == FormatV1 ? "" : $"root={checkpoint.RootHash}\n";
        return string.Create(CultureInfo.InvariantCulture,
            $"{checkpoint.Format}\nsize={checkpoint.Size}\nhead={checkpoint.HeadSequence}\nhash={checkpoint.HeadHash}\n{root}at={AuditChain.FormatTime(checkpoint.At)}\nkey={checkpoint.KeyId}\n");
    }

    /// <summary>
    /// A checkpoint of a log whose last entry is <paramref name="head"/> (null: an empty log) and whose Merkle root at
    /// that size is <paramref name="rootHash"/> (<see cref="AuditTree.RootAsync"/>), signed with <paramref name="key"/>.
    /// </summary>
    public static AuditCheckpoint Sign(AuditEntry? head, string rootHash, DateTimeOffset at, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(rootHash);
        var unsigned = new AuditCheckpoint
        {
            Format = Format,
            Size = head?.Sequence ?? 0,
            HeadSequence = head?.Sequence ?? 0,
            HeadHash = head?.Hash ?? AuditChain.Genesis,
            RootHash = rootHash,
            At = AuditChain.NormalizeTime(at),
            KeyId = KeyId(key),
            PublicKey = key.ExportSubjectPublicKeyInfoPem(),
            Signature = "",
        };
        var signature = key.SignData(Encoding.UTF8.GetBytes(SignedText(unsigned)), HashAlgorithmName.SHA256);
        return unsigned with { Signature = Convert.ToBase64String(signature) };
    }

    /// <summary>The id of a key: <c>sha256:</c> and the hex SHA-256 of its DER SubjectPublicKeyInfo.</summary>
    public static string KeyId(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>
    /// Null when <paramref name="checkpoint"/> was signed by <paramref name="trusted"/> and says what it signed;
    /// otherwise why not. The public key the checkpoint carries is never trusted for this.
    /// </summary>
    public static string? CheckSignature(AuditCheckpoint checkpoint, ECDsa trusted)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(trusted);
        if (checkpoint.Format is not (Format or FormatV1))
        {
            return $"the checkpoint's format is '{checkpoint.Format}', this Handoff reads '{Format}' and '{FormatV1}'";
        }

        if (checkpoint.Format == Format && string.IsNullOrEmpty(checkpoint.RootHash))
        {
            return $"the checkpoint has no rootHash, which a '{Format}' checkpoint signs";
        }

        if (checkpoint.Format == FormatV1 && checkpoint.RootHash is not null)
        {
            // A version 1 signature does not cover a root: one added to the file is not signed by anyone.
            return $"the checkpoint has a rootHash, which a '{FormatV1}' checkpoint does not sign";
        }

        var trustedId = KeyId(trusted);
        if (checkpoint.KeyId != trustedId)
        {
            return $"the checkpoint was signed by key {checkpoint.KeyId}, not by the trusted key {trustedId}";
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(checkpoint.Signature);
        }
        catch (FormatException)
        {
            return "the checkpoint's signature is not base64";
        }

        return trusted.VerifyData(Encoding.UTF8.GetBytes(SignedText(checkpoint)), signature, HashAlgorithmName.SHA256)
            ? null
            : "the checkpoint's signature does not match its contents (it was altered, or signed by another key)";
    }

    /// <summary>
    /// Null when a log of <paramref name="logSize"/> entries, whose entry at the checkpoint's head position is
    /// <paramref name="entryAtHead"/>, still extends <paramref name="checkpoint"/>; otherwise what is wrong, naming the position.
    /// </summary>
    public static string? CheckExtends(AuditCheckpoint checkpoint, long logSize, AuditEntry? entryAtHead)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (logSize < checkpoint.Size)
        {
            return $"truncated: checkpoint covers entries 1..{checkpoint.Size} but the log has {logSize}";
        }

        if (checkpoint.HeadSequence == 0)
        {
            return null;
        }

        if (entryAtHead is null || entryAtHead.Sequence != checkpoint.HeadSequence)
        {
            return $"entry {checkpoint.HeadSequence} is missing: the checkpoint ends there";
        }

        return entryAtHead.Hash == checkpoint.HeadHash
            ? null
            : $"entry {checkpoint.HeadSequence} differs from the checkpoint: its hash is {entryAtHead.Hash}, the checkpoint says {checkpoint.HeadHash}";
    }

    /// <summary>The checkpoint as an indented JSON document.</summary>
    public static string Serialize(AuditCheckpoint checkpoint) => JsonSerializer.Serialize(checkpoint, Indented);

    /// <summary>Reads a checkpoint document.</summary>
    /// <exception cref="FormatException">The text is not a checkpoint document, naming what is wrong.</exception>
    public static AuditCheckpoint Parse(string json)
    {
        try
        {
            var checkpoint = JsonSerializer.Deserialize<AuditCheckpoint>(json, Reading) ?? throw new FormatException("A checkpoint is a JSON object, not null.");
            return checkpoint.Size < 0 || checkpoint.HeadSequence < 0
                ? throw new FormatException("A checkpoint's size and headSequence are 0 or more.")
                : checkpoint;
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not an audit checkpoint: {e.Message}", e);
        }
    }
}
