using System.Diagnostics.Metrics;

namespace Handoff.Storage;

/// <summary>
/// What an operator watches of the write path (meter <c>Handoff.Storage</c>), per committed batch: how many writes it
/// carried (group commit at work: under load, writes share commits) and how long it took. Tagged <c>backend</c>
/// (<c>sqlite</c> or <c>postgresql</c>).
/// </summary>
public static class StoreMetrics
{
    public const string MeterName = "Handoff.Storage";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "handoff.store.batch.size", "{write}", "Writes the store's writer committed together, in one transaction.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    private static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>(
        "handoff.store.batch.duration", "s", "Time from a batch's start to its commit (a batch that failed and ran again counts from its first start).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    internal static void BatchCommitted(string backend, int writes, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("backend", backend);
        BatchSize.Record(writes, tag);
        BatchDuration.Record(duration.TotalSeconds, tag);
    }
}
