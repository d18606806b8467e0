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
    private readonly int _port = FreePort();

    /// <summary>Starts it (creating it the first time) and returns its connection string.</summary>
    public async Task<string> StartAsync() => (await RunAsync("start")).Trim().Split('\n')[^1];

    public Task StopAsync() => RunAsync("stop");

    public Task RestartAsync() => RunAsync("restart");

    public Task DestroyAsync() => RunAsync("destroy");

    private async Task<string> RunAsync(string command)
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
        Assert.True(process.ExitCode == 0, $"scripts/postgres.sh {command} failed: {await errors}");
        return await output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
