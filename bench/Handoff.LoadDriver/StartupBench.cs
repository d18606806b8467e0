using System.Diagnostics;
using System.Globalization;
using Handoff.Server;
using Handoff.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.LoadDriver;

/// <summary>
/// How long a server takes to start, one after another in one process (as the test suites start theirs): build,
/// initialize (migrations on a fresh SQLite file), start Kestrel, answer its first request, stop. The first start pays
/// for loading and JIT; the median of the rest is what each further test server costs.
/// Usage: <c>--scenario startup [--starts 20]</c>.
/// </summary>
internal static class StartupBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var starts = Arguments.Int(args, "--starts", 20);
        var phases = new List<double[]>();
        for (var i = 0; i < starts; i++)
        {
            phases.Add(await OnceAsync().ConfigureAwait(false));
        }

        string[] names = ["build", "initialize", "start", "first request", "stop", "total"];
        Console.WriteLine($"| phase | first start (ms) | median of the other {starts - 1} (ms) |");
        Console.WriteLine("|---|---:|---:|");
        for (var p = 0; p < names.Length; p++)
        {
            var rest = phases.Skip(1).Select(x => x[p]).Order().ToArray();
            var median = rest.Length == 0 ? double.NaN : rest[rest.Length / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {names[p]} | {phases[0][p]:N0} | {median:N1} |"));
        }

        return 0;
    }

    private static async Task<double[]> OnceAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "handoff-load", Guid.NewGuid().ToString("N"));
        var clock = Stopwatch.StartNew();
        var marks = new List<double>();
        void Mark() => marks.Add(clock.Elapsed.TotalMilliseconds);
        try
        {
            var app = HandoffServer.Build([], new HandoffServerOptions { DataDirectory = directory }, services => services.AddLogging(l => l.ClearProviders()));
            Mark();
            await app.InitializeAsync().ConfigureAwait(false);
            Mark();
            app.Urls.Add("http://127.0.0.1:0");
            await app.StartAsync().ConfigureAwait(false);
            Mark();
            using (var client = new HttpClient { BaseAddress = app.ListeningAddress() })
            {
                // An unauthenticated call still runs the whole pipeline: routing, authentication, the problem answer.
                using var response = await client.GetAsync("v1/cases").ConfigureAwait(false);
            }

            Mark();
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            Mark();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        var result = new double[6];
        for (var i = 0; i < 5; i++)
        {
            result[i] = marks[i] - (i == 0 ? 0 : marks[i - 1]);
        }

        result[5] = marks[4];
        return result;
    }
}
