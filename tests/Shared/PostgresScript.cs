using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Handoff.Tests.Shared;

/// <summary>
/// A PostgreSQL of a test's own, started, stopped and destroyed with <c>scripts/postgres.sh</c> in its own folder on
/// its own port, for tests that stop or restart the database without disturbing the shared test server.
/// Compiled into each test project that needs it.
/// </summary>
internal sealed class PostgresScript
{
    private readonly string _script = Environment.GetEnvironmentVariable("HANDOFF_PG_SCRIPT")
        ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "scripts", "postgres.sh"));

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"handoff-pg-{Guid.NewGuid():N}");
    private int _port = FreePort();

    /// <summary>
    /// Starts it (creating it the first time) and returns its connection string. A port found free can be taken
    /// before PostgreSQL binds it (by a connection of a test running alongside): then it starts on another.
    /// </summary>
    public async Task<string> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var (exitCode, output, errors) = await TryAsync("start");
            if (exitCode == 0)
            {
                return output.Trim().Split('\n')[^1];
            }

            Assert.True(attempt < 3 && errors.Contains("Address already in use", StringComparison.Ordinal), $"scripts/postgres.sh start failed: {errors}");
            _port = FreePort();
        }
    }

    public Task StopAsync() => RunAsync("stop");

    public Task RestartAsync() => RunAsync("restart");

    public Task DestroyAsync() => RunAsync("destroy");

    private async Task<string> RunAsync(string command)
    {
        var (exitCode, output, errors) = await TryAsync(command);
        Assert.True(exitCode == 0, $"scripts/postgres.sh {command} failed: {errors}");
        return output;
    }

    private async Task<(int ExitCode, string Output, string Errors)> TryAsync(string command)
    {
        var start = new ProcessStartInfo("bash", [_script, command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment["HANDOFF_PG_DIR"] = _directory;
        start.Environment["HANDOFF_PG_PORT"] = _port.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await errors);
    }

    // Below Linux's ephemeral range (32768 and up), which the OS hands to outgoing connections: a port found free
    // there is far less likely to be taken again before PostgreSQL binds it.
    private static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
    }
}
