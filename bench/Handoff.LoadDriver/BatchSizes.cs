using System.Diagnostics.Metrics;

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
            // The names operators are given (docs/operations.md).
            if (instrument.Meter.Name == "Handoff.Storage" && instrument.Name == "handoff.store.batch.size")
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
