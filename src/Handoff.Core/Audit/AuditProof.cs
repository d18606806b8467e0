using System.Globalization;
using System.Text.Json;

namespace Handoff.Core.Audit;

/// <summary>
/// A case's audit entries with an inclusion proof each, against the Merkle root of the first <see cref="TreeSize"/>
/// entries of the log (<see cref="AuditTree"/>). Whoever holds a signed checkpoint of that size and root can check it
/// with <see cref="Check"/> alone: no database, no other entry of the log. Serialized as a JSON document in Handoff's
/// JSON shape (<c>handoff audit prove</c> writes it).
/// </summary>
public sealed record AuditProof
{
    /// <summary>The <see cref="Format"/> this version writes and reads.</summary>
    public const string CurrentFormat = "handoff.audit.proof.v1";

    private static readonly JsonSerializerOptions Indented = new(HandoffJson.Options) { WriteIndented = true };

    // A document from elsewhere: a field that must have a value and is null is refused as it is read.
    private static readonly JsonSerializerOptions Reading = new(HandoffJson.Options) { RespectNullableAnnotations = true };

    /// <summary>What this document is and which version of it.</summary>
    public required string Format { get; init; }

    public required string WorkspaceId { get; init; }

    public required string CaseId { get; init; }

    /// <summary>How many entries the tree holds: entries 1 to <see cref="TreeSize"/>.</summary>
    public required long TreeSize { get; init; }

    /// <summary>The tree's root, lowercase hex (a checkpoint of the same size signs the same root).</summary>
    public required string RootHash { get; init; }

    /// <summary>The case's entries in the tree, oldest first, each with its proof.</summary>
    public required IReadOnlyList<ProvenAuditEntry> Entries { get; init; }

    /// <summary>How many of the case's entries came after the tree (sealed later, or not sealed yet): not proven here.</summary>
    public int EntriesAfter { get; init; }

    /// <summary>
    /// Every problem with the proof, each naming the entry: an entry whose fields do not hash to its hash, or whose
    /// path does not lead to <see cref="RootHash"/>; an entry of another case, or listed twice; no entry at all. Empty
    /// when every entry is proven.
    /// </summary>
    public IReadOnlyList<string> Check()
    {
        var problems = new List<string>();
        if (Format != CurrentFormat)
        {
            problems.Add($"the proof's format is '{Format}', this Handoff reads '{CurrentFormat}'");
            return problems;
        }

        byte[] root;
        try
        {
            root = Convert.FromHexString(RootHash);
        }
        catch (FormatException)
        {
            problems.Add($"the proof's root '{RootHash}' is not hex");
            return problems;
        }

        if (Entries is not { Count: > 0 })
        {
            problems.Add("the proof proves no entry");
            return problems;
        }

        var seen = new HashSet<long>();
        foreach (var proven in Entries)
        {
            if (proven is not { Entry: not null, Path: not null } || proven.Path.Any(static p => p is null))
            {
                problems.Add("the proof lists an entry without its fields or its path");
                continue;
            }

            var entry = proven.Entry;
            var at = string.Create(CultureInfo.InvariantCulture, $"entry {entry.Sequence}");
            if (!seen.Add(entry.Sequence))
            {
                problems.Add($"{at} is listed twice");
                continue;
            }

            if (entry.WorkspaceId != WorkspaceId || entry.Subject != CaseId)
            {
                problems.Add($"{at} is about {entry.WorkspaceId}/{entry.Subject}, not this case");
                continue;
            }

            var hash = AuditChain.ComputeHash(entry);
            if (hash != entry.Hash)
            {
                problems.Add($"{at} was altered: its fields hash to {hash}, not {entry.Hash}");
                continue;
            }

            byte[][] path;
            try
            {
                path = [.. proven.Path.Select(Convert.FromHexString)];
            }
            catch (FormatException)
            {
                problems.Add($"{at}: its path holds a hash that is not hex");
                continue;
            }

            if (!AuditTree.VerifyInclusion(entry.Sequence - 1, TreeSize, AuditTree.LeafHash(entry.Hash), path, root))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{at} is not in the tree of {TreeSize} entries with root {RootHash}: its path leads elsewhere"));
            }
        }

        return problems;
    }

    /// <summary>
    /// Null when <paramref name="checkpoint"/> signs this proof's tree (same size, same root); otherwise why not. Check
    /// the checkpoint's signature first (<see cref="AuditCheckpoints.CheckSignature"/>).
    /// </summary>
    public string? CheckAgainst(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Format != AuditCheckpoints.Format || checkpoint.RootHash is null)
        {
            return $"the checkpoint signs no Merkle root (it is '{checkpoint.Format}', not '{AuditCheckpoints.Format}'; v1 checkpoints were made before Handoff signed roots)";
        }

        if (checkpoint.Size != TreeSize)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the proof is against a tree of {TreeSize} entries, the checkpoint signs {checkpoint.Size}: prove against this checkpoint (--checkpoint)");
        }

        return checkpoint.RootHash == RootHash
            ? null
            : $"the checkpoint signs root {checkpoint.RootHash}, the proof says {RootHash}: the log, or the tree stored beside it, was changed at or before entry {TreeSize} (run handoff audit verify)";
    }

    /// <summary>The proof as an indented JSON document.</summary>
    public static string Serialize(AuditProof proof) => JsonSerializer.Serialize(proof, Indented);

    /// <summary>Reads a proof document.</summary>
    /// <exception cref="FormatException">The text is not a proof document, naming what is wrong.</exception>
    public static AuditProof Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<AuditProof>(json, Reading) ?? throw new FormatException("A proof is a JSON object, not null.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not an audit proof: {e.Message}", e);
        }
    }
}

/// <summary>One audit entry and the hashes that lead from it to a tree's root (<see cref="AuditTree.InclusionProofAsync"/>).</summary>
public sealed record ProvenAuditEntry
{
    public required AuditEntry Entry { get; init; }

    /// <summary>The audit path, lowercase hex, the sibling nearest the leaf first.</summary>
    public required IReadOnlyList<string> Path { get; init; }
}
