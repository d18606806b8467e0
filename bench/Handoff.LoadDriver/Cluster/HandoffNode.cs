using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Handoff.LoadDriver.Cluster;

/// <summary>
/// One <c>handoff serve --store … --urls http://127.0.0.1:PORT --data TMP</c>, run as a real process from the
/// Release build of the CLI, and stopped (killed, by its process id) when disposed.
/// </summary>
internal sealed class HandoffNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly Queue<string> _output = new();

    private HandoffNode(Process process, Uri address, string dataDirectory)
    {
        _process = process;
        Address = address;
        _dataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>The node's <c>--data</c> folder (its SQLite database when it was started without a store).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>
    /// Starts a node on a free port of 127.0.0.1 and waits until its <c>/healthz</c> answers: on the PostgreSQL
    /// database <paramref name="store"/> names, or on a SQLite file in its data folder when that is null.
    /// </summary>
    public static async Task<HandoffNode> StartAsync(HandoffCli cli, string? store)
    {
        var port = FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "handoff-bench-node", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        string[] storeArguments = store is null ? [] : ["--store", store];
        var process = cli.Start(["serve", .. storeArguments, "--urls", $"http://127.0.0.1:{port}", "--data", dataDirectory]);
        var node = new HandoffNode(process, new Uri($"http://127.0.0.1:{port}/"), dataDirectory);
        Cleanup.Add(node, () => process.Kill(entireProcessTree: true));
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await node.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return node;
    }

    public async ValueTask DisposeAsync()
    {
        Cleanup.Remove(this);
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"handoff serve exited with {_process.ExitCode}:\n{Output()}");
            }

            try
            {
                using var response = await client.GetAsync("healthz").ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"handoff serve on {Address} did not answer /healthz within {timeout.TotalSeconds:0} s:\n{Output()}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Everything a node says, for looking into errors afterwards (the last lines alone are kept otherwise).
            if (Environment.GetEnvironmentVariable("HANDOFF_BENCH_NODE_LOG") is { Length: > 0 } log)
            {
                File.AppendAllText(log, $"{Address} {line}\n");
            }

            _output.Enqueue(line);
            if (_output.Count > 50)
            {
                _output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
