namespace Handoff.Core.Learning;

/// <summary>
/// Turns a case's text into a sentence embedding: a unit vector whose dot product with another's is their cosine
/// similarity, so that "I want my money back" lands near "refund please" though they share no word. The model lives
/// in a project of its own (Handoff.Embeddings) that the server loads; Core knows only this.
/// </summary>
public interface ITextEmbedder
{
    /// <summary>The model's name, stored beside each vector: vectors of different models are never compared.</summary>
    string Model { get; }

    /// <summary>One unit vector per text, in order. Safe to call from several threads.</summary>
    IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts);
}

/// <summary>Similarity of embeddings.</summary>
public static class Embedding
{
    /// <summary>The cosine similarity of two unit vectors (their dot product), or null when their lengths differ.</summary>
    public static double? Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.Length == 0)
        {
            return null;
        }

        var dot = 0d;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
        }

        return dot;
    }

    /// <summary>A vector as stored: little-endian IEEE 754 singles.</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return bytes;
    }

    /// <summary>A stored vector read back (see <see cref="ToBytes"/>).</summary>
    public static float[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new ArgumentException("A stored vector is a whole number of 4-byte singles.", nameof(bytes));
        }

        var vector = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }

        return vector;
    }
}
