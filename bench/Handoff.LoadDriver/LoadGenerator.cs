using System.Diagnostics;

namespace Handoff.LoadDriver;

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each send a request, wait for the answer, and send the next, for a
/// fixed time. Bounded in time and aimed at 127.0.0.1 only.
/// </summary>
internal static class LoadGenerator
{
    /// <param name="sampler">Records the measured phase's allocations by type when given.</param>
    public static async Task<LoadResult> RunAsync(Func<Task<bool>> send, int concurrency, TimeSpan duration, TimeSpan warmup, AllocationSampler? sampler = null)
    {
        // The latency lists are made once, before the warm-up, and emptied for the measured phase: made inside it, they
        // were 25 MB of large objects that set off full collections in the very window being measured.
        var latencies = Enumerable.Range(0, concurrency).Select(static _ => new List<double>(capacity: 100_000)).ToArray();
        await RunPhaseAsync(send, latencies, warmup, record: false).ConfigureAwait(false);
        foreach (var list in latencies)
        {
            list.Clear();
        }

        sampler?.Start();
        try
        {
            return await RunPhaseAsync(send, latencies, duration, record: true).ConfigureAwait(false);
        }
        finally
        {
            sampler?.Stop();
        }
    }

    private static async Task<LoadResult> RunPhaseAsync(Func<Task<bool>> send, List<double>[] latencies, TimeSpan duration, bool record)
    {
        long errors = 0;
        using var batchSizes = new BatchSizes();
        var threadsBefore = ThreadCpu.Snapshot();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var collectionsBefore = GC.CollectionCount(0);
        var fullBefore = GC.CollectionCount(2);
        var pausedBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        var workers = latencies.Select(async mine =>
        {
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await send().ConfigureAwait(false);
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        // The whole process's CPU: clients and server share it, as they share the machine.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var threads = ThreadCpu.Since(threadsBefore);
        // Allocations are the one figure here the machine's noise does not move: bytes per request say whether a
        // change made the path lighter when throughput runs cannot.
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var collections = GC.CollectionCount(0) - collectionsBefore;
        var gc = new GcActivity(collections, GC.CollectionCount(2) - fullBefore, GC.GetTotalPauseDuration() - pausedBefore);
        var (batches, writes) = batchSizes.Totals;
        if (!record)
        {
            return new LoadResult(0, 0, elapsed, 0, 0, cpu, threads, null, allocated, gc);
        }

        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(all.Length, errors, elapsed, Percentile(all, 0.50), Percentile(all, 0.99), cpu, threads, batches == 0 ? null : (double)writes / batches, allocated, gc, batches == 0 ? null : batchSizes.Longest);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
