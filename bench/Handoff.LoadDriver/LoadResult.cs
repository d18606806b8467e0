using System.Globalization;

namespace Handoff.LoadDriver;

/// <param name="Cpu">CPU time the whole process (clients and server) used while the requests ran.</param>
/// <param name="CpuByThread">The same, by thread name (see <see cref="ThreadCpu"/>).</param>
/// <param name="WritesPerBatch">The store's mean writes per commit, when the scenario wrote.</param>
/// <param name="AllocatedBytes">Bytes the whole process (clients and server) allocated while the requests ran.</param>
/// <param name="Gc">The garbage collector's work meanwhile.</param>
/// <param name="LongBatches">The store's longest batch (ms) and how many took over 50 ms, when the scenario wrote.</param>
internal sealed record LoadResult(
    long Requests, long Errors, TimeSpan Elapsed, double P50Ms, double P99Ms, TimeSpan Cpu, IReadOnlyDictionary<string, TimeSpan> CpuByThread, double? WritesPerBatch,
    long AllocatedBytes, GcActivity Gc, (double LongestMs, int Over50Ms)? LongBatches = null)
{
    public double Throughput => Requests / Elapsed.TotalSeconds;

    /// <summary>CPU microseconds per request, clients included; 2 cores busy for 1 s are 2,000,000 µs.</summary>
    public double CpuMicrosecondsPerRequest => Requests == 0 ? 0 : Cpu.TotalMicroseconds / Requests;

    /// <summary>Bytes allocated per request, clients included.</summary>
    public double AllocatedBytesPerRequest => Requests == 0 ? 0 : (double)AllocatedBytes / Requests;

    /// <summary>How busy the machine's cores were, as a share of all of them.</summary>
    public double CpuShare => Cpu / (Elapsed * Environment.ProcessorCount);

    /// <summary>
    /// Where the CPU went: microseconds per request by thread name, largest first (threads under 1 µs left out), and
    /// the store's writes per commit.
    /// </summary>
    public string Breakdown()
    {
        var threads = CpuByThread.Where(t => Requests > 0 && t.Value.TotalMicroseconds / Requests >= 1).OrderByDescending(t => t.Value)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value.TotalMicroseconds / Requests:N0} µs"));
        var batches = WritesPerBatch is { } perBatch ? string.Create(CultureInfo.InvariantCulture, $"; writes per commit {perBatch:0.0}") : "";
        batches += LongBatches is { } longBatches ? string.Create(CultureInfo.InvariantCulture, $", longest batch {longBatches.LongestMs:N0} ms ({longBatches.Over50Ms} over 50 ms)") : "";
        var memory = string.Create(CultureInfo.InvariantCulture, $"; allocated {AllocatedBytesPerRequest / 1024:N1} KB per request; {Gc.Collections} collections ({Gc.Full} full), paused {Gc.Paused.TotalMilliseconds:N0} ms in all");
        return $"CPU per request by thread: {string.Join(", ", threads)}{batches}{memory}";
    }

    public string ToMarkdownRow(string name) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Requests:N0} | {Throughput:N0} | {P50Ms:0.00} | {P99Ms:0.00} | {CpuMicrosecondsPerRequest:N0} | {CpuShare:P0} | {Errors} |");
}

/// <param name="Collections">Collections of any generation.</param>
/// <param name="Full">Collections of generation 2.</param>
/// <param name="Paused">Time every thread was stopped for the collector.</param>
internal readonly record struct GcActivity(int Collections, int Full, TimeSpan Paused);
