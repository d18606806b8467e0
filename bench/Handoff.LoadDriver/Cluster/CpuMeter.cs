using System.Diagnostics;
using System.Globalization;

namespace Handoff.LoadDriver.Cluster;

/// <summary>
/// Where the machine's CPU went during a measured phase (Linux only, from /proc): the whole machine's busy share,
/// and the CPU time of the PostgreSQL server's processes (every process named <c>postgres</c>, whoever they serve), of the Handoff
/// nodes, and of this driver, each as cores used on average.
/// </summary>
internal sealed class CpuMeter
{
    // USER_HZ: the unit of the times in /proc, 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    private readonly int[] _nodes;
    private readonly long _startTimestamp;
    private readonly (long Busy, long Total) _machine;
    private readonly Dictionary<int, double> _postgres;
    private readonly double _nodesSeconds;
    private readonly TimeSpan _driver;

    private CpuMeter(int[] nodes)
    {
        _nodes = nodes;
        _machine = Machine();
        _postgres = PostgresSeconds();
        _nodesSeconds = nodes.Sum(ProcessSeconds);
        _driver = Process.GetCurrentProcess().TotalProcessorTime;
        _startTimestamp = Stopwatch.GetTimestamp();
    }

    public sealed record Usage(double MachineBusy, double PostgresCores, double NodesCores, double DriverCores)
    {
        public static readonly Usage None = new(0, 0, 0, 0);

        /// <summary>Busy cores not accounted for by PostgreSQL, the nodes or the driver: the kernel's own work, and anyone else's load.</summary>
        public double OtherCores => Math.Max(0, (MachineBusy * Environment.ProcessorCount) - PostgresCores - NodesCores - DriverCores);

        public override string ToString() => OperatingSystem.IsLinux()
            ? string.Create(CultureInfo.InvariantCulture, $"{MachineBusy:P0} busy; PostgreSQL {PostgresCores:0.00}, nodes {NodesCores:0.00}, driver {DriverCores:0.00}, other {OtherCores:0.00}")
            : "n/a";
    }

    public static CpuMeter Start(IEnumerable<int> nodeProcessIds) => new([.. nodeProcessIds]);

    public Usage Stop()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Usage.None;
        }

        var seconds = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        var machine = Machine();
        var total = machine.Total - _machine.Total;
        return new Usage(
            total == 0 ? 0 : (double)(machine.Busy - _machine.Busy) / total,
            PostgresSeconds().Sum(p => p.Value - _postgres.GetValueOrDefault(p.Key)) / seconds,
            (_nodes.Sum(ProcessSeconds) - _nodesSeconds) / seconds,
            (Process.GetCurrentProcess().TotalProcessorTime - _driver).TotalSeconds / seconds);
    }

    private static (long Busy, long Total) Machine()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (0, 0);
        }

        // cpu  user nice system idle iowait irq softirq steal …
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }

    /// <summary>
    /// CPU seconds so far of each PostgreSQL process, by id. A backend that ends between two readings takes its time
    /// with it (the measured phases keep their connections open, so that is other clients' short sessions).
    /// </summary>
    private static Dictionary<int, double> PostgresSeconds()
    {
        var seconds = new Dictionary<int, double>();
        if (!OperatingSystem.IsLinux())
        {
            return seconds;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (name.All(char.IsAsciiDigit) && Comm(directory) == "postgres")
            {
                var pid = int.Parse(name, CultureInfo.InvariantCulture);
                seconds[pid] = ProcessSeconds(pid);
            }
        }

        return seconds;
    }

    private static string? Comm(string directory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, "comm")).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>User plus system CPU seconds of one process so far (0 once it is gone).</summary>
    private static double ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) state ppid …": fields after the comm, from field 3; utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
