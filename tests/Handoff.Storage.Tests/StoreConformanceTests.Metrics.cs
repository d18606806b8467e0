using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    /// <summary>The backend's name in <see cref="StoreMetrics"/>' <c>backend</c> tag.</summary>
    protected abstract string MetricsBackend { get; }

    [Fact]
    public virtual async Task Writes_AreCountedByBatchInTheStoreMetrics()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        // Other tests' stores write at the same time and report to the same meter: only this backend's measurements
        // are kept, and the assertions hold whatever else is counted.
        var sizes = new ConcurrentQueue<int>();
        var durations = new ConcurrentQueue<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StoreMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "handoff.store.batch.size" && IsThisBackend(tags))
            {
                sizes.Enqueue(value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "handoff.store.batch.duration" && IsThisBackend(tags))
            {
                durations.Enqueue(value);
            }
        });
        listener.Start();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.CreateCaseAsync(NewCase(workspace.Id), Ct)));

        Assert.True(sizes.Sum() >= 20, $"{sizes.Sum()} writes counted for 20 cases");
        Assert.All(sizes, size => Assert.InRange(size, 1, 256));
        Assert.NotEmpty(durations);
        Assert.All(durations, seconds => Assert.True(seconds >= 0));
    }

    private bool IsThisBackend(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "backend")
            {
                return Equals(tag.Value, MetricsBackend);
            }
        }

        return false;
    }
}
