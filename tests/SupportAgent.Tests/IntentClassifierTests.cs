using Handoff.Samples.SupportAgent.Classification;

namespace Handoff.Samples.SupportAgent.Tests;

/// <summary>The shipped classifier, trained once for the class (about two seconds), measured on the held-out demo traffic; and the same data read as sentence embeddings.</summary>
public sealed class IntentClassifierTests(IntentClassifierTests.Trained trained) : IClassFixture<IntentClassifierTests.Trained>
{
    [Fact]
    public void ShippedData_CoversEveryIntentEvenly()
    {
        var shipped = TrainingData.Shipped();

        Assert.Equal(378, shipped.Count);
        Assert.All(shipped.GroupBy(row => row.Intent), group => Assert.Equal(14, group.Count()));
        Assert.Equal(Intents.All.Order(), shipped.Select(row => row.Intent).Distinct().Order());
    }

    [Fact]
    public void DemoTraffic_IsHeldOutFromTraining()
    {
        var trainingTexts = TrainingData.Shipped().Select(row => row.Text).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var traffic = DemoTraffic.Labeled();

        Assert.Equal(81, traffic.Count);
        Assert.All(traffic, row => Assert.True(Intents.IsKnown(row.Intent), row.Intent));
        Assert.DoesNotContain(traffic, row => trainingTexts.Contains(row.Text));
    }

    [Fact]
    public void Evaluate_OnHeldOutTraffic_IsRightMostOfTheTimeAndAlmostAlwaysWhenConfident()
    {
        // Measured 67/81 (82.7 %), and 33 of 33 right at ≥ 0.75 (docs/agents.md). The bounds leave room for a
        // different ML.NET build, not for a broken pipeline: guessing would get 1 in 27.
        var evaluation = trained.Classifier.Evaluate(DemoTraffic.Labeled());

        Assert.True(evaluation.Accuracy >= 0.75, evaluation.ToString());
        Assert.True(evaluation.Confident >= 20, evaluation.ToString());
        Assert.True(evaluation.ConfidentAccuracy >= 0.95, evaluation.ToString());
    }

    [Fact]
    public void Rank_GivesEveryIntentAProbability_AddingUpToOne()
    {
        var ranked = trained.Classifier.Rank("where is my parcel, it's been a week");

        Assert.Equal(27, ranked.Count);
        Assert.Equal(1.0, ranked.Sum(s => s.Probability), 3);
        Assert.True(ranked[0].Probability >= ranked[1].Probability);
        Assert.Contains(ranked[0].Intent, new[] { "track_order", "delivery_period" });
    }

    [Fact]
    public void Train_SameData_SameModel()
    {
        var again = IntentClassifier.Train(TrainingData.Shipped());
        const string text = "please cancel my order A-20931";

        Assert.Equal(trained.Classifier.Rank(text), again.Rank(text));
    }

    [Fact]
    public void Embedded_OnHeldOutTraffic_IsRightAtLeastAsOftenAsTheNgrams_AndRanksInBatchesAsOneByOne()
    {
        // The same 378 examples, read as all-MiniLM-L6-v2 sentence embeddings. Measured 74/81 (91.4 %), and 58 of 58
        // right at ≥ 0.75, against the n-grams' 67/81 and 33 of 33; a broken pipeline (vectors not reaching the
        // trainer, labels out of order) guesses 1 in 27.
        var embedded = trained.Embedded.Value;
        var traffic = DemoTraffic.Labeled();
        var evaluation = embedded.Evaluate(traffic);

        Assert.True(embedded.Embedded);
        Assert.True(evaluation.Accuracy >= 0.8, evaluation.ToString());
        var texts = traffic.Take(10).Select(static t => t.Text).ToList();
        var batch = embedded.RankAll(texts);
        Assert.Equal(texts.Count, batch.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var single = embedded.Rank(texts[i]);
            Assert.Equal(single.Select(static s => s.Intent), batch[i].Select(static s => s.Intent));
            Assert.Equal(single[0].Probability, batch[i][0].Probability, 5);
        }
    }

    [Fact]
    public void Embedded_RefusesAnEmbedderThatDoesNotGiveOneVectorOfOneLengthPerText()
    {
        var examples = TrainingData.Shipped();

        Assert.Throws<ArgumentException>(() => IntentClassifier.Train(examples, static texts => [.. texts.Skip(1).Select(static _ => new float[4])]));
        Assert.Throws<ArgumentException>(() => IntentClassifier.Train(examples, static texts => [.. texts.Select(static (t, i) => new float[i % 2 == 0 ? 4 : 5])]));
        Assert.Throws<ArgumentException>(() => IntentClassifier.Train(examples, static texts => [.. texts.Select(static _ => Array.Empty<float>())]));
    }

    public sealed class Trained
    {
        internal IntentClassifier Classifier { get; } = IntentClassifier.Train(TrainingData.Shipped());

        internal Lazy<IntentClassifier> Embedded { get; } = new(() => IntentClassifier.Train(TrainingData.Shipped(), new Handoff.Embeddings.MiniLmEmbedder().Embed));
    }
}
