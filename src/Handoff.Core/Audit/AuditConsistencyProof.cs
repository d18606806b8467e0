using System.Globalization;
using System.Text.Json;

namespace Handoff.Core.Audit;

/// <summary>
/// That the audit log's tree of <see cref="SecondSize"/> entries holds its tree of <see cref="FirstSize"/> entries
/// unchanged as its first entries (RFC 9162 §2.1.4): what an auditor holding an older signed checkpoint checks a newer
/// one against, without the database, so that a log rewritten or forked between two checkpoints cannot go unseen.
/// Serialized as a JSON document in Handoff's JSON shape (<c>handoff audit consistency</c> writes it).
/// </summary>
public sealed record AuditConsistencyProof
{
    /// <summary>The <see cref="Format"/> this version writes and reads.</summary>
    public const string CurrentFormat = "handoff.audit.consistency.v1";

    private static readonly JsonSerializerOptions Indented = new(HandoffJson.Options) { WriteIndented = true };
    private static readonly JsonSerializerOptions Reading = new(HandoffJson.Options) { RespectNullableAnnotations = true };

    /// <summary>What this document is and which version of it.</summary>
    public required string Format { get; init; }

    /// <summary>The older tree's size: entries 1 to this.</summary>
    public required long FirstSize { get; init; }

    /// <summary>The older tree's root, lowercase hex.</summary>
    public required string FirstRoot { get; init; }

    /// <summary>The newer tree's size.</summary>
    public required long SecondSize { get; init; }

    /// <summary>The newer tree's root, lowercase hex.</summary>
    public required string SecondRoot { get; init; }

    /// <summary>RFC 9162's consistency path, lowercase hex.</summary>
    public required IReadOnlyList<string> Path { get; init; }

    /// <summary>Null when the path shows the first tree inside the second; otherwise what is wrong.</summary>
    public string? Check()
    {
        if (Format != CurrentFormat)
        {
            return $"the proof's format is '{Format}', this Handoff reads '{CurrentFormat}'";
        }

        byte[] first, second;
        byte[][] path;
        try
        {
            (first, second) = (Convert.FromHexString(FirstRoot), Convert.FromHexString(SecondRoot));
            path = [.. Path.Select(static p => Convert.FromHexString(p ?? throw new FormatException()))];
        }
        catch (FormatException)
        {
            return "the proof holds a hash that is not hex";
        }

        return AuditTree.VerifyConsistency(FirstSize, SecondSize, first, second, path)
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"the tree of {SecondSize} entries with root {SecondRoot} does not hold the tree of {FirstSize} entries with root {FirstRoot}: the log was rewritten or forked between them");
    }

    /// <summary>
    /// Null when <paramref name="older"/> and <paramref name="newer"/> (their signatures checked first, with
    /// <see cref="AuditCheckpoints.CheckSignature"/>) sign this proof's two trees; otherwise why not.
    /// </summary>
    public string? CheckAgainst(AuditCheckpoint older, AuditCheckpoint newer)
    {
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(newer);
        foreach (var (checkpoint, size, root, which) in new[] { (older, FirstSize, FirstRoot, "older"), (newer, SecondSize, SecondRoot, "newer") })
        {
            if (checkpoint.Format != AuditCheckpoints.Format || checkpoint.RootHash is null)
            {
                return $"the {which} checkpoint signs no Merkle root (it is '{checkpoint.Format}', not '{AuditCheckpoints.Format}')";
            }

            if (checkpoint.Size != size || checkpoint.RootHash != root)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"the {which} checkpoint signs {checkpoint.Size} entries with root {checkpoint.RootHash}, the proof is about {size} entries with root {root}");
            }
        }

        return null;
    }

    /// <summary>The proof as an indented JSON document.</summary>
    public static string Serialize(AuditConsistencyProof proof) => JsonSerializer.Serialize(proof, Indented);

    /// <summary>Reads a consistency proof document.</summary>
    /// <exception cref="FormatException">The text is not one, naming what is wrong.</exception>
    public static AuditConsistencyProof Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<AuditConsistencyProof>(json, Reading) ?? throw new FormatException("A consistency proof is a JSON object, not null.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not an audit consistency proof: {e.Message}", e);
        }
    }
}
