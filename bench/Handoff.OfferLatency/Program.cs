using System.Globalization;
using Handoff.OfferLatency;

// Offer-to-accept latency through the real server and a real browser (issue 13); figures in docs/benchmarks.md.
// Usage: dotnet run -c Release --project bench/Handoff.OfferLatency -- [--iterations 50] [--warmup 5] [--pause-ms 250]
var iterations = Int("--iterations", 50);
var warmup = Int("--warmup", 5);
var pause = TimeSpan.FromMilliseconds(Int("--pause-ms", 250));

Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
var result = await OfferLatencyRun.RunAsync(iterations, warmup, pause);
Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine();
Console.WriteLine(result.ToMarkdown());
return 0;

int Int(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
