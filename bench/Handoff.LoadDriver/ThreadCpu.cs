using System.Globalization;

namespace Handoff.LoadDriver;

/// <summary>
/// CPU time of this process's threads, read from <c>/proc/self/task</c> and summed by thread name (".NET TP Worker",
/// "Handoff SQLite", ...: Linux keeps 15 characters of a name). Linux only (elsewhere it is empty). Threads that end
/// between two snapshots take their time since the first with them, so the sums are a lower bound; under load the
/// runtime's pool threads live on.
/// </summary>
internal static class ThreadCpu
{
    // /proc reports thread times in clock ticks of USER_HZ, which is 100 on every Linux the runtime supports.
    private const double TicksPerSecond = 100;

    /// <summary>Each live thread's id, name and CPU time so far.</summary>
    public static Dictionary<string, (string Name, TimeSpan Cpu)> Snapshot()
    {
        var threads = new Dictionary<string, (string, TimeSpan)>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux())
        {
            return threads;
        }

        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                // The fields after the name, which is in parentheses and may hold spaces: utime and stime are the
                // 12th and 13th of them.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                threads[Path.GetFileName(task)] = (name, TimeSpan.FromSeconds(ticks / TicksPerSecond));
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        return threads;
    }

    /// <summary>CPU time used since <paramref name="before"/> by the threads alive now, by thread name.</summary>
    public static Dictionary<string, TimeSpan> Since(Dictionary<string, (string Name, TimeSpan Cpu)> before) =>
        Snapshot()
            // A thread id Linux gave again to a new thread shows less time than before: all of it is since.
            .Select(t => (t.Value.Name, Cpu: before.TryGetValue(t.Key, out var then) && then.Cpu <= t.Value.Cpu ? t.Value.Cpu - then.Cpu : t.Value.Cpu))
            .GroupBy(t => t.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Cpu), StringComparer.Ordinal);
}
