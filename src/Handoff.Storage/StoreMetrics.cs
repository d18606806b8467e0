using System.Diagnostics.Metrics;

namespace Handoff.Storage;

/// <summary>
/// What an operator watches of the write path (meter <c>Handoff.Storage</c>), per committed batch: how many writes it
/// carried (group commit at work: under load, writes share commits) and how long it took. Tagged <c>backend</c>
/// (<c>sqlite</c> or <c>postgresql</c>). One per store's writer; its meter comes from the host's
/// <see cref="IMeterFactory"/> when there is one.
/// </summary>
internal sealed class StoreMetrics : IDisposable
{
    public const string MeterName = "Handoff.Storage";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _backend;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchDuration;

    public StoreMetrics(IMeterFactory? meters, string backend)
    {
        _ownsMeter = meters is null;
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _backend = new KeyValuePair<string, object?>("backend", backend);
        _batchSize = _meter.CreateHistogram<int>(
            "handoff.store.batch.size", "{write}", "Writes the store's writer committed together, in one transaction.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _batchDuration = _meter.CreateHistogram<double>(
            "handoff.store.batch.duration", "s", "Time from a batch's start to its commit (a batch that failed and ran again counts from its first start).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
    }

    /// <summary>Records a committed batch. A listener that throws is ignored: the writes are committed, and their callers must hear so.</summary>
    public void BatchCommitted(int writes, TimeSpan duration)
    {
        try
        {
            _batchSize.Record(writes, _backend);
            _batchDuration.Record(duration.TotalSeconds, _backend);
        }
#pragma warning disable CA1031 // Whatever a metrics listener throws, it must not fail writes that are already committed.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
