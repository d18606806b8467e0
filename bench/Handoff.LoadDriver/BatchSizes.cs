using System.Diagnostics.Metrics;

namespace Handoff.LoadDriver;

/// <summary>
/// Listens to the store's <c>handoff.store.batch.size</c> and <c>handoff.store.batch.duration</c> histograms: how many
/// writes each commit carried, and the longest batches (every write queued behind one waits for it).
/// </summary>
internal sealed class BatchSizes : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _batches;
    private long _writes;
    private readonly List<double> _durations = [];

    public BatchSizes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // The names operators are given (docs/operations.md).
            if (instrument.Meter.Name == "Handoff.Storage" && instrument.Name is "handoff.store.batch.size" or "handoff.store.batch.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, writes, _, _) =>
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _writes, writes);
        });
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (_durations)
            {
                _durations.Add(seconds * 1000);
            }
        });
        _listener.Start();
    }

    public (long Batches, long Writes) Totals => (Interlocked.Read(ref _batches), Interlocked.Read(ref _writes));

    /// <summary>The longest batch and how many took over 50 ms, in milliseconds.</summary>
    public (double LongestMs, int Over50Ms) Longest
    {
        get
        {
            lock (_durations)
            {
                return (_durations.Count == 0 ? 0 : _durations.Max(), _durations.Count(static d => d > 50));
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
