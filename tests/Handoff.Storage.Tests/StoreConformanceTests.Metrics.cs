using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    /// <summary>This test's meters: every store made by <see cref="CreateStoreAsync"/> must record through it.</summary>
    protected TestMeterFactory Meters { get; } = new();

    /// <summary>The backend's name in the store metrics' <c>backend</c> tag.</summary>
    protected abstract string MetricsBackend { get; }

    [Fact]
    public virtual async Task Writes_AreCountedByCommittedBatchInTheStoreMetrics()
    {
        using var sizes = new MetricCollector<int>(Meters, StoreMetrics.MeterName, "handoff.store.batch.size");
        using var durations = new MetricCollector<double>(Meters, StoreMetrics.MeterName, "handoff.store.batch.duration");
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.CreateCaseAsync(NewCase(workspace.Id), Ct)));
        // Refused by the database (no such workspace): a batch that commits nothing is not counted.
        await Assert.ThrowsAnyAsync<Exception>(() => store.CreateCaseAsync(NewCase("no such workspace"), Ct));

        var batches = sizes.GetMeasurementSnapshot();
        // The workspace, then the twenty cases, in however many commits they shared.
        Assert.Equal(1 + 20, batches.Sum(m => m.Value));
        Assert.All(batches, m => Assert.Equal(MetricsBackend, m.Tags["backend"]));
        Assert.Equal(batches.Count, durations.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public virtual async Task ABurstOfWrites_IsCommittedInBatchesOfAtMost128LockKeys()
    {
        using var sizes = new MetricCollector<int>(Meters, StoreMetrics.MeterName, "handoff.store.batch.size");
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        // Each submission with an idempotency key names two keys (its case and its key): at most 64 of them a batch.
        await Task.WhenAll(Enumerable.Range(0, 600).Select(i => store.CreateCaseAsync(NewCase(workspace.Id) with { IdempotencyKey = $"burst-{i}" }, Ct)));

        var batches = sizes.GetMeasurementSnapshot();
        Assert.Equal(1 + 600, batches.Sum(m => m.Value));
        Assert.All(batches, m => Assert.InRange(m.Value, 1, 64));
    }
}
