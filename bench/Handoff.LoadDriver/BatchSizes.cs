using System.Diagnostics.Metrics;
using Handoff.Storage;

namespace Handoff.LoadDriver;

/// <summary>Listens to the store's <c>handoff.store.batch.size</c> histogram: how many writes each commit carried.</summary>
internal sealed class BatchSizes : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _batches;
    private long _writes;

    public BatchSizes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StoreMetrics.MeterName && instrument.Name == "handoff.store.batch.size")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, writes, _, _) =>
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _writes, writes);
        });
        _listener.Start();
    }

    public (long Batches, long Writes) Totals => (Interlocked.Read(ref _batches), Interlocked.Read(ref _writes));

    public void Dispose() => _listener.Dispose();
}
