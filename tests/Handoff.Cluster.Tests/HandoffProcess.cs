using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Handoff.Cluster.Tests;

/// <summary>Runs the real <c>handoff</c> program (the built handoff.dll, copied next to the tests) as a separate process.</summary>
internal static class HandoffProcess
{
    /// <summary>Starts <c>dotnet handoff.dll ARGS</c> directly (no shell in between), so killing it kills the program itself.</summary>
    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "handoff.dll"));
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start handoff.");
    }

    /// <summary>Runs a command to its end: its exit code and what it wrote.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args) =>
        RunWithInputAsync(null, cancellationToken, args);

    /// <summary>Runs a command to its end with <paramref name="input"/> (a line, such as a password) on its standard input.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunWithInputAsync(string? input, CancellationToken cancellationToken, params string[] args)
    {
        using var process = Start(args);
        if (input is not null)
        {
            await process.StandardInput.WriteLineAsync(input.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Ports nobody listens on right now, all different, for servers started as processes.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            // Held open together, so the system cannot hand out the same port twice.
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}

/// <summary>One <c>handoff serve</c> process: a node of the cluster.</summary>
internal sealed class Node : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _lastLines = new();

    private Node(int index, int port, Process process)
    {
        Index = index;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
    }

    public int Index { get; }

    public Uri BaseAddress { get; }

    public Process Process { get; }

    /// <summary>The last lines the node wrote (stdout and stderr), for a failure message.</summary>
    public string Output => string.Join('\n', _lastLines);

    public static Node Start(int index, int port, string store, string dataDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        new(index, port, HandoffProcess.Start(["serve", "--store", store, "--urls", $"http://127.0.0.1:{port}", "--data", dataDirectory], environment));

    /// <summary>Waits until <c>/healthz</c> answers; fails at once, with what the node said, if it exits instead.</summary>
    public async Task WaitUntilUpAsync(HttpClient http, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"Node {Index} exited with {Process.ExitCode} before it answered /healthz:\n{Output}");
            }

            try
            {
                using var health = await http.GetAsync(new Uri(BaseAddress, "healthz"), cancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>SIGKILL, no goodbye: the process gets no chance to finish requests, send NOTIFYs or close connections.</summary>
    public async Task KillAsync()
    {
        Process.Kill(entireProcessTree: false);
        await Process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        Process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lastLines.Enqueue(line);
        while (_lastLines.Count > 200 && _lastLines.TryDequeue(out _))
        {
        }
    }
}
