using System.Diagnostics;
using Handoff.Samples.SupportAgent.Classification;
using Microsoft.ML;

namespace Handoff.Samples.SupportAgent;

/// <summary>
/// The figures docs/agents.md quotes: the classifier trained on each source, measured on what it did not learn
/// from (the demo's held-out traffic; a fifth of Bitext; all of Bitext for the shipped model).
/// </summary>
internal static class ClassifierReport
{
    public static IEnumerable<string> Lines(CancellationToken cancellationToken)
    {
        var traffic = DemoTraffic.Labeled();
        var shipped = TrainingData.Shipped();
        var watch = Stopwatch.StartNew();
        var fromShipped = IntentClassifier.Train(shipped);
        yield return $"trained on the {shipped.Count} shipped conversations in {watch.ElapsedMilliseconds} ms";
        yield return $"  on the {traffic.Count} held-out demo conversations: {fromShipped.Evaluate(traffic)}";

        if (TrainingData.FindBitext() is not { } path)
        {
            yield return "Bitext not found (set HANDOFF_BITEXT): no Bitext figures.";
            yield break;
        }

        var bitext = TrainingData.Bitext(new MLContext(1), path);
        cancellationToken.ThrowIfCancellationRequested();
        yield return $"  on all {bitext.Count} Bitext messages: {fromShipped.Evaluate(bitext)}";

        // Every fifth row held out: Bitext is ordered by intent, so this keeps every intent on both sides.
        var train = bitext.Where((_, i) => i % 5 != 0).ToList();
        var test = bitext.Where((_, i) => i % 5 == 0).ToList();
        watch.Restart();
        var fromBitext = IntentClassifier.Train(train);
        yield return $"trained on {train.Count} Bitext messages in {watch.ElapsedMilliseconds} ms";
        yield return $"  on the other {test.Count} Bitext messages: {fromBitext.Evaluate(test)}";
        yield return $"  on the {traffic.Count} held-out demo conversations: {fromBitext.Evaluate(traffic)}";

        watch.Restart();
        var fromBoth = IntentClassifier.Train([.. shipped, .. train]);
        yield return $"trained on the shipped conversations and those {train.Count} Bitext messages in {watch.ElapsedMilliseconds} ms";
        yield return $"  on the other {test.Count} Bitext messages: {fromBoth.Evaluate(test)}";
        yield return $"  on the {traffic.Count} held-out demo conversations: {fromBoth.Evaluate(traffic)}";
    }
}
