using Handoff.Core.Learning;
using Handoff.Embeddings;

namespace Handoff.Learning.Tests;

/// <summary>The sentence-embedding model that ships inside the package, run for real.</summary>
public sealed class MiniLmEmbedderTests
{
    private readonly MiniLmEmbedder _embedder = new();

    [Fact]
    public void Embed_GivesOneUnitVectorPerText_InOrder()
    {
        var vectors = _embedder.Embed(["I want my money back", "Where is my parcel?", "", new string('x', 20_000)]);

        Assert.Equal(4, vectors.Count);
        Assert.All(vectors, static v => Assert.Equal(384, v.Length));
        Assert.All(vectors, static v => Assert.Equal(1, Embedding.Cosine(v, v)!.Value, 3));
        Assert.Equal(1, Embedding.Cosine(_embedder.Embed(["Where is my parcel?"])[0], vectors[1])!.Value, 4);
        Assert.Empty(_embedder.Embed([]));
    }

    [Fact]
    public void Embed_PutsTextsThatMeanTheSameCloser_ThanTextsThatShareWords()
    {
        var v = _embedder.Embed(["I want my money back", "Please refund me", "I want my parcel back on its way", "What is the weather in Paris"]);

        var refund = Embedding.Cosine(v[0], v[1])!.Value;
        var sharesWords = Embedding.Cosine(v[0], v[2])!.Value;
        var unrelated = Embedding.Cosine(v[0], v[3])!.Value;

        Assert.True(refund > sharesWords, $"refund {refund:F3}, shares words {sharesWords:F3}");
        Assert.True(sharesWords > unrelated, $"shares words {sharesWords:F3}, unrelated {unrelated:F3}");
    }

    [Fact]
    public void StoredVectors_ReadBackExactly_AndVectorsOfOtherLengthsAreNotCompared()
    {
        float[] vector = [0.25f, -1e-30f, float.Epsilon, 0.9999999f];

        Assert.Equal(vector, Embedding.FromBytes(Embedding.ToBytes(vector)));
        Assert.Null(Embedding.Cosine(vector, [1f, 0f]));
        Assert.Null(Embedding.Cosine([], []));
        Assert.Throws<ArgumentException>(() => Embedding.FromBytes([1, 2, 3]));
    }
}
