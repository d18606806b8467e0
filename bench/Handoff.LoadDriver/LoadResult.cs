using System.Globalization;

namespace Handoff.LoadDriver;

internal sealed record LoadResult(long Requests, long Errors, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double Throughput => Requests / Elapsed.TotalSeconds;

    public string ToMarkdownRow(string name) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Requests:N0} | {Throughput:N0} | {P50Ms:0.00} | {P99Ms:0.00} | {Errors} |");
}
