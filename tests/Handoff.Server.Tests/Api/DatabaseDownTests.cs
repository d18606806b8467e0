using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

/// <summary>A node whose PostgreSQL goes away answers 503 problems, not 500s, and serves again once it is back.</summary>
public sealed class DatabaseDownTests
{
    [Fact]
    public async Task DatabaseStopped_Answers503Problem_AndServesAgainWhenItIsBack()
    {
        // A PostgreSQL of this test's own, so that stopping it disturbs no other test.
        var script = Environment.GetEnvironmentVariable("HANDOFF_PG_SCRIPT")
            ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "scripts", "postgres.sh"));
        var directory = Path.Combine(Path.GetTempPath(), $"handoff-pg-down-{Guid.NewGuid():N}");
        var port = FreePort();
        try
        {
            var store = (await RunScriptAsync(script, "start", directory, port)).Trim().Split('\n')[^1];
            await using var server = await TestServer.StartAsync(options => options.Store = store);
            var agent = server.Client(server.AgentKey);
            var id = await TestCases.SubmitPendingAsync(agent);

            await RunScriptAsync(script, "stop", directory, port);
            using (var down = await agent.GetAsync($"/v1/cases/{id}", TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
                Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
                Assert.Contains("Idempotency-Key", await down.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }

            await RunScriptAsync(script, "start", directory, port);
            using var back = await agent.GetAsync($"/v1/cases/{id}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await RunScriptAsync(script, "destroy", directory, port);
        }
    }

    private static async Task<string> RunScriptAsync(string script, string command, string directory, int port)
    {
        var start = new ProcessStartInfo("bash", [script, command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment["HANDOFF_PG_DIR"] = directory;
        start.Environment["HANDOFF_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
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
