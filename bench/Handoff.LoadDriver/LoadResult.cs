using System.Globalization;

namespace Handoff.LoadDriver;

/// <param name="Cpu">CPU time the whole process (clients and server) used while the requests ran.</param>
internal sealed record LoadResult(long Requests, long Errors, TimeSpan Elapsed, double P50Ms, double P99Ms, TimeSpan Cpu)
{
    public double Throughput => Requests / Elapsed.TotalSeconds;

    /// <summary>CPU microseconds per request, clients included; 2 cores busy for 1 s are 2,000,000 µs.</summary>
    public double CpuMicrosecondsPerRequest => Requests == 0 ? 0 : Cpu.TotalMicroseconds / Requests;

    /// <summary>How busy the machine's cores were, as a share of all of them.</summary>
    public double CpuShare => Cpu / (Elapsed * Environment.ProcessorCount);

    public string ToMarkdownRow(string name) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Requests:N0} | {Throughput:N0} | {P50Ms:0.00} | {P99Ms:0.00} | {CpuMicrosecondsPerRequest:N0} | {CpuShare:P0} | {Errors} |");
}
