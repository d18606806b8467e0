using System.Diagnostics.Metrics;

namespace Handoff.Storage;

/// <summary>
/// What an operator watches of the write path (meter <c>Handoff.Storage</c>), per committed batch: how many writes it
/// carried (group commit at work: under load, writes share commits) and how long it took; and where audit entries are
/// sealed after commit, how long each waited for its place in the chain. Tagged <c>backend</c>
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
    private readonly Histogram<double> _sealLag;

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
        _sealLag = _meter.CreateHistogram<double>(
            "handoff.audit.seal.lag", "s", "Time from an audit entry's writing to its sealing into the chain, per entry (PostgreSQL).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
    }

    /// <summary>Records how long each entry of a committed sealing batch waited; ignores a listener that throws, like <see cref="BatchCommitted"/>.</summary>
    public void Sealed(IEnumerable<TimeSpan> lags)
    {
        try
        {
            foreach (var lag in lags)
            {
                _sealLag.Record(Math.Max(0, lag.TotalSeconds), _backend);
            }
        }
#pragma warning disable CA1031 // The entries are sealed; a metrics listener must not make the sealer think otherwise.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
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
