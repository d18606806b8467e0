using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Handoff.Core.Audit;

/// <summary>
/// The hash chain over the audit log. Each entry's <see cref="AuditEntry.Hash"/> is the SHA-256 of a canonical
/// encoding of all its other fields, including the previous entry's hash, so changing, inserting or removing a
/// stored entry breaks the chain at that entry. The chain starts at sequence 1 with <see cref="Genesis"/> as the
/// previous hash. Removing entries from the end cannot be detected from the log alone; compare the last sequence
/// and hash with a copy kept elsewhere for that.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    // Bumping this changes every hash; it exists so that a future encoding can be told apart from this one.
    private static readonly byte[] Domain = "handoff.audit.v1"u8.ToArray();

    /// <summary>
    /// The instant as the chain hashes it: UTC, truncated to whole microseconds, which every backend stores
    /// exactly (PostgreSQL's <c>timestamptz</c> keeps no more).
    /// </summary>
    public static DateTimeOffset NormalizeTime(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    /// <summary>The text form of <paramref name="at"/> that is hashed, and that stores should keep verbatim.</summary>
    public static string FormatTime(DateTimeOffset at) => NormalizeTime(at).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// Lowercase hex SHA-256 over every field except <see cref="AuditEntry.Hash"/> (which is ignored). Each field
    /// is written as its UTF-8 byte count (4 bytes, big-endian) followed by the bytes, so no two different entries
    /// encode alike whatever their fields contain.
    /// </summary>
    public static string ComputeHash(AuditEntry entryWithoutHash)
    {
        ArgumentNullException.ThrowIfNull(entryWithoutHash);
        var e = entryWithoutHash;
        ReadOnlySpan<string> fields =
        [
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.WorkspaceId,
            FormatTime(e.At),
            e.ActorKind,
            e.ActorId,
            e.ActorName,
            e.Action,
            e.Subject,
            e.Data,
            e.PreviousHash,
        ];

        var length = 4 + Domain.Length;
        foreach (var field in fields)
        {
            length += 4 + Encoding.UTF8.GetByteCount(field);
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var buffer = rented.AsSpan(0, length);
            var position = Write(buffer, 0, Domain);
            foreach (var field in fields)
            {
                var count = Encoding.UTF8.GetBytes(field, buffer[(position + 4)..]);
                BinaryPrimitives.WriteInt32BigEndian(buffer[position..], count);
                position += 4 + count;
            }

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer, hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Links <paramref name="draft"/> to the chain: returns it with <see cref="AuditEntry.At"/> normalized
    /// (<see cref="NormalizeTime"/>), <see cref="AuditEntry.PreviousHash"/> set to <paramref name="previousHash"/>
    /// and <see cref="AuditEntry.Hash"/> computed. The draft's sequence must be the previous entry's plus one.
    /// </summary>
    public static AuditEntry Seal(AuditEntry draft, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentException.ThrowIfNullOrEmpty(previousHash);
        var linked = draft with { At = NormalizeTime(draft.At), PreviousHash = previousHash, Hash = string.Empty };
        return linked with { Hash = ComputeHash(linked) };
    }

    /// <summary>
    /// Checks a whole chain, given oldest first from sequence 1 (as pages of <c>ReadAuditAsync</c> return it), and
    /// stops at the first problem: a missing or out-of-order sequence (reported as the sequence that was expected),
    /// a previous hash that is not the hash of the entry before, or a hash that does not match the entry's fields.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries) => Verify(entries, 0, Genesis);

    /// <summary>
    /// Checks the part of a chain after <paramref name="afterSequence"/>, whose hash is <paramref name="previousHash"/>;
    /// lets a verifier resume where an earlier run stopped.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries, long afterSequence, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(previousHash);
        var expectedSequence = afterSequence + 1;
        var expectedPrevious = previousHash;
        long good = 0;
        foreach (var entry in entries)
        {
            if (entry.Sequence != expectedSequence)
            {
                var problem = entry.Sequence > expectedSequence
                    ? $"Entry {expectedSequence} is missing: the next entry has sequence {entry.Sequence}."
                    : $"Expected entry {expectedSequence} but found sequence {entry.Sequence} (duplicate or out of order).";
                return AuditVerification.Failure(good, expectedSequence, problem);
            }

            if (!string.Equals(entry.PreviousHash, expectedPrevious, StringComparison.Ordinal))
            {
                return AuditVerification.Failure(good, entry.Sequence,
                    $"Entry {entry.Sequence} does not point at the entry before it: its previous hash is {entry.PreviousHash}, expected {expectedPrevious}.");
            }

            var actual = ComputeHash(entry);
            if (!string.Equals(entry.Hash, actual, StringComparison.Ordinal))
            {
                return AuditVerification.Failure(good, entry.Sequence,
                    $"Entry {entry.Sequence} was altered: its stored hash is {entry.Hash}, its fields hash to {actual}.");
            }

            expectedPrevious = entry.Hash;
            expectedSequence++;
            good++;
        }

        return AuditVerification.Success(good);
    }

    private static int Write(Span<byte> buffer, int position, ReadOnlySpan<byte> bytes)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer[position..], bytes.Length);
        bytes.CopyTo(buffer[(position + 4)..]);
        return position + 4 + bytes.Length;
    }
}
