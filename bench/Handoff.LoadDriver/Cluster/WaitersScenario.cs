using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Handoff.LoadDriver.Cluster;

/// <summary>
/// <c>waiters</c>: many agents waiting at once on one node (SQLite). <c>--waiter-cases</c> cases each get
/// <c>--per-case</c> waiters, half long-polls (<c>GET /v1/cases/{id}/decision?wait=120</c>) and half event streams
/// (<c>GET /v1/cases/{id}/events</c>, read until <c>event: end</c>); once all wait, the node's resident memory is
/// read from <c>/proc</c>, then the cases are approved one after another by a reviewer. A waiter's wake-up is the time
/// from its case's decision response arriving at the reviewer to its own answer (the long-poll's 200, the stream's end
/// event) arriving here, both on this process's <see cref="Stopwatch"/>.
/// <code>
/// dotnet run -c Release --project bench/Handoff.LoadDriver -- --scenario waiters [--waiter-cases 100] [--per-case 100]
/// </code>
/// </summary>
internal static class WaitersScenario
{
    private const int WaitSeconds = 120;

    public static async Task<bool> RunAsync(ClusterOptions options, string[] args)
    {
        var cases = Arguments.Int(args, "--waiter-cases", 100);
        var perCase = Arguments.Int(args, "--per-case", 100);
        await using var node = await HandoffNode.StartAsync(options.Cli, null).ConfigureAwait(false);
        var store = NodeStore.Sqlite(node.DataDirectory);
        var agent = await options.Cli.CreateKeyAsync(store, "agent", "bench agent").ConfigureAwait(false);
        var reviewer = await options.Cli.CreateKeyAsync(store, "reviewer", "bench reviewer").ConfigureAwait(false);
        using var api = new Api(node.Address, 16);
        var ids = await ClaimDecideScenario.SubmitAsync([api], agent, cases, concurrency: 8, new Samples()).ConfigureAwait(false);
        var idle = ResidentMegabytes(node.ProcessId);

        using var waiting = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = node.Address,
            Timeout = TimeSpan.FromSeconds(WaitSeconds + 60),
        };
        var decidedAt = new long[cases];
        var pollWakes = new Samples();
        var streamWakes = new Samples();
        var all = new Samples();
        var failures = 0;
        var started = 0;
        var waiters = new List<Task>(cases * perCase);
        for (var c = 0; c < cases; c++)
        {
            for (var w = 0; w < perCase; w++)
            {
                var index = c;
                var stream = w % 2 == 1;
                waiters.Add(Task.Run(async () =>
                {
                    try
                    {
                        var answered = stream
                            ? await StreamAsync(waiting, agent, ids[index], () => Interlocked.Increment(ref started)).ConfigureAwait(false)
                            : await PollAsync(waiting, agent, ids[index], () => Interlocked.Increment(ref started)).ConfigureAwait(false);
                        var decided = Volatile.Read(ref decidedAt[index]);
                        var wake = decided == 0 ? 0 : Stopwatch.GetElapsedTime(decided, answered).TotalMilliseconds;
                        (stream ? streamWakes : pollWakes).Add(wake);
                        all.Add(wake);
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref failures);
                        Console.Error.WriteLine($"  waiter on {ids[index]}: {e.Message}");
                    }
                }));
            }
        }

        // Every stream has its headers once the node watches its case; the long-polls are given the same time again.
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref started) < cases * perCase / 2 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        await Task.Delay(clock.Elapsed + TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        var loaded = ResidentMegabytes(node.ProcessId);
        Console.Error.WriteLine($"waiters: {cases * perCase:N0} waiting on {cases} cases ({started:N0} streams open) after {clock.Elapsed.TotalSeconds:0} s; node RSS {loaded:N0} MB (idle {idle:N0} MB)");

        var decisions = new Samples();
        var cpu = CpuMeter.Start([node.ProcessId]);
        var deciding = Stopwatch.StartNew();
        for (var c = 0; c < cases; c++)
        {
            await api.ClaimAsync(reviewer, ids[c]).ConfigureAwait(false);
            var sent = Stopwatch.GetTimestamp();
            var status = await api.ApproveAsync(reviewer, ids[c]).ConfigureAwait(false);
            var now = Stopwatch.GetTimestamp();
            Volatile.Write(ref decidedAt[c], now);
            decisions.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
            if (status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Approving {ids[c]} answered {(int)status}.");
            }
        }

        await Task.WhenAll(waiters).ConfigureAwait(false);
        var usage = cpu.Stop();
        var perAnswer = usage.NodesCores * deciding.Elapsed.TotalMilliseconds * 1000 / (cases * perCase);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {cases * perCase:N0} ({cases} cases × {perCase}) | {idle:N0} | {loaded:N0} | {all.Count:N0} | {failures} | {pollWakes.Format(0.5)} / {pollWakes.Format(0.99)} | {streamWakes.Format(0.5)} / {streamWakes.Format(0.99)} | {all.Format(0.5)} / {all.Format(0.99)} / {all.Format(1)} | {decisions.Format(0.5)} / {decisions.Format(0.99)} | {usage.MachineBusy:P0}: node {usage.NodesCores:0.00}, driver {usage.DriverCores:0.00} cores | {perAnswer:0} |"));
        return failures == 0 && all.Count == cases * perCase;
    }

    public const string Header =
        "| waiters | node RSS idle (MB) | node RSS waiting (MB) | answered | failed | long-poll wake p50 / p99 (ms) | stream wake p50 / p99 (ms) | all p50 / p99 / max (ms) | decision round trip p50 / p99 (ms) | CPU while deciding | node CPU per answer (µs) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    private static async Task<long> PollAsync(HttpClient client, string key, string id, Action registered)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"v1/cases/{id}/decision?wait={WaitSeconds}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request).ConfigureAwait(false);
        await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var answered = Stopwatch.GetTimestamp();
        return response.StatusCode == HttpStatusCode.OK ? answered : throw new InvalidOperationException($"the long-poll answered {(int)response.StatusCode}");
    }

    private static async Task<long> StreamAsync(HttpClient client, string key, string id, Action registered)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/cases/{id}/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"the stream answered {(int)response.StatusCode}");
        }

        registered();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line == "event: end")
            {
                return Stopwatch.GetTimestamp();
            }
        }

        throw new InvalidOperationException("the stream closed before its end event");
    }

    private static double ResidentMegabytes(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(static l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is var kb ? double.Parse(kb, CultureInfo.InvariantCulture) / 1024 : 0;
}
