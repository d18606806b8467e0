using Microsoft.ML;
using Microsoft.ML.Data;

namespace Handoff.Samples.SupportAgent.Classification;

/// <summary>
/// Which of the 27 intents a customer message is, and how sure: ML.NET text features (word and character n-grams)
/// into a maximum-entropy classifier, whose class probabilities are the confidence the agent reports to Handoff.
/// Training is seeded, so the same data gives the same model. Thread safe: ML.NET's prediction engine is not, so
/// predictions take turns (the agent predicts once per customer message; that is never the bottleneck).
/// </summary>
internal sealed class IntentClassifier
{
    private readonly PredictionEngine<LabeledText, Scored> _engine;
    private readonly string[] _labels;
    private readonly Lock _gate = new();

    private IntentClassifier(PredictionEngine<LabeledText, Scored> engine, string[] labels)
    {
        _engine = engine;
        _labels = labels;
    }

    /// <summary>Trains on <paramref name="examples"/> (a few hundred take under a second; Bitext's 4,514 about five).</summary>
    public static IntentClassifier Train(IReadOnlyList<LabeledText> examples, int seed = 1)
    {
        var ml = new MLContext(seed);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(LabeledText.Intent))
            .Append(ml.Transforms.Text.FeaturizeText("Features", nameof(LabeledText.Text)))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy());
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(examples));

        // The scores come in the order of the label key's values; read those names once.
        VBuffer<ReadOnlyMemory<char>> names = default;
        model.Transform(ml.Data.LoadFromEnumerable(examples.Take(1))).Schema["Score"].GetSlotNames(ref names);
        var labels = names.DenseValues().Select(name => name.ToString()).ToArray();
        return new IntentClassifier(ml.Model.CreatePredictionEngine<LabeledText, Scored>(model), labels);
    }

    /// <summary>The intents from most to least likely, with their probabilities (which add up to 1).</summary>
    public IReadOnlyList<IntentScore> Rank(string text)
    {
        float[] scores;
        lock (_gate)
        {
            scores = _engine.Predict(LabeledText.Of("", text)).Score;
        }

        return scores.Select((score, i) => new IntentScore(_labels[i], score))
            .OrderByDescending(s => s.Probability)
            .ToList();
    }

    /// <summary>How likely <paramref name="intent"/> is for <paramref name="text"/>; 0 for an intent it never learnt.</summary>
    public float Probability(string text, string intent) =>
        Rank(text).FirstOrDefault(s => s.Intent == intent)?.Probability ?? 0;

    /// <summary>How often the most likely intent is the right one, over <paramref name="examples"/>.</summary>
    public Evaluation Evaluate(IReadOnlyList<LabeledText> examples)
    {
        var right = 0;
        var confident = 0;
        var confidentRight = 0;
        foreach (var example in examples)
        {
            var best = Rank(example.Text)[0];
            var correct = best.Intent == example.Intent;
            right += correct ? 1 : 0;
            if (best.Probability >= Evaluation.ConfidentAt)
            {
                confident++;
                confidentRight += correct ? 1 : 0;
            }
        }

        return new Evaluation(examples.Count, right, confident, confidentRight);
    }

    private sealed class Scored
    {
        public float[] Score { get; set; } = [];
    }
}
