using System.Buffers.Binary;
using System.Buffers.Text;

namespace Handoff.Storage;

/// <summary>
/// The opaque cursor of <see cref="CaseQuery"/>: the base64url of the last listed case's row sequence. Opaque so
/// that backends may change what is inside without breaking clients, which must only echo it back.
/// </summary>
internal static class CaseCursor
{
    public static string Encode(long sequence)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, sequence);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Reads a cursor; throws <see cref="ArgumentException"/> naming <c>cursor</c> when it was not made here.</summary>
    public static long Decode(string cursor)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        // TryDecode throws rather than returning false on characters outside the alphabet, so validate first.
        if (!Base64Url.IsValid(cursor, out var length) || length != sizeof(long)
            || !Base64Url.TryDecodeFromChars(cursor, bytes, out _))
        {
            throw new ArgumentException("The cursor is not one this server issued.", nameof(cursor));
        }

        var sequence = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return sequence > 0 ? sequence : throw new ArgumentException("The cursor is not one this server issued.", nameof(cursor));
    }
}
