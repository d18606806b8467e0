using System.Diagnostics;
using System.Net;

namespace Handoff.LoadDriver.Cluster;

/// <summary>
/// <c>wake-latency</c>: two real nodes, A and B, on one fresh database. For each sample an agent long-polls
/// <c>GET /v1/cases/{id}/decision?wait=30</c> on node A; once the poll has been waiting for a moment, a reviewer
/// (who claimed the case beforehand) approves it on node A itself (same node: the in-process notifier) or on
/// node B (cross node: B commits, sends NOTIFY after the commit, A hears it on its LISTEN connection, re-reads the case
/// and answers). Both moments are taken in this process with <see cref="Stopwatch"/>: when the decision's response
/// has been read by the reviewer, and when the long-poll's 200 has been read by the agent. Same-node and
/// cross-node samples alternate, so both see the same machine.
/// </summary>
internal static class WakeLatencyScenario
{
    private const int WaitSeconds = 30;

    public sealed class Path(string name)
    {
        public string Name { get; } = name;

        /// <summary>From the decision's response arriving at the reviewer to the long-poll's 200 arriving at the agent.</summary>
        public Samples Wake { get; } = new();

        /// <summary>From the decision request leaving the reviewer to the long-poll's 200 arriving at the agent.</summary>
        public Samples EndToEnd { get; } = new();

        /// <summary>The decision's own round trip (request sent to response read).</summary>
        public Samples Decision { get; } = new();

        /// <summary>Samples whose long-poll answered before the reviewer had read the decision's response.</summary>
        public int PollFirst;

        /// <summary>Samples dropped because the long-poll answered before the decision was even sent.</summary>
        public int Early;

        public int Errors;
    }

    public static async Task<(Path Same, Path Cross, CpuMeter.Usage Cpu)> RunAsync(ClusterOptions options)
    {
        await using var database = await BenchDatabase.CreateAsync(options.AdminConnectionString).ConfigureAwait(false);
        HandoffNode? a = null;
        HandoffNode? b = null;
        try
        {
            a = await HandoffNode.StartAsync(options.Cli, database.StoreUrl).ConfigureAwait(false);
            b = await HandoffNode.StartAsync(options.Cli, database.StoreUrl).ConfigureAwait(false);
            var agent = await options.Cli.CreateKeyAsync(NodeStore.Postgres(database.StoreUrl), "agent", "bench agent").ConfigureAwait(false);
            var reviewer = await options.Cli.CreateKeyAsync(NodeStore.Postgres(database.StoreUrl), "reviewer", "bench reviewer").ConfigureAwait(false);
            Console.Error.WriteLine($"wake-latency: node A {a.Address} (pid {a.ProcessId}), node B {b.Address} (pid {b.ProcessId}) on {database.Name}");

            using var agentOnA = new Api(a.Address, options.WakeParallel + 4);
            using var reviewerOnA = new Api(a.Address, options.WakeParallel + 4);
            using var reviewerOnB = new Api(b.Address, options.WakeParallel + 4);
            var total = 2 * (options.WarmupSamples + options.Samples);
            var ids = await ClaimDecideScenario.SubmitAsync([agentOnA], agent, total, concurrency: 8, new Samples()).ConfigureAwait(false);

            var warmSame = new Path("warm-up");
            var warmCross = new Path("warm-up");
            await RunSamplesAsync(ids[..(2 * options.WarmupSamples)], agentOnA, agent, reviewerOnA, reviewerOnB, reviewer, warmSame, warmCross, options).ConfigureAwait(false);

            var same = new Path("same node (decide on A, poll on A)");
            var cross = new Path("cross node (decide on B, poll on A)");
            var cpu = CpuMeter.Start([a.ProcessId, b.ProcessId]);
            await RunSamplesAsync(ids[(2 * options.WarmupSamples)..], agentOnA, agent, reviewerOnA, reviewerOnB, reviewer, same, cross, options).ConfigureAwait(false);
            return (same, cross, cpu.Stop());
        }
        finally
        {
            if (a is not null)
            {
                await a.DisposeAsync().ConfigureAwait(false);
            }

            if (b is not null)
            {
                await b.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static Task RunSamplesAsync(string[] ids, Api agentOnA, string agent, Api reviewerOnA, Api reviewerOnB, string reviewer, Path same, Path cross, ClusterOptions options)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, options.WakeParallel).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < ids.Length; i = Interlocked.Increment(ref next))
            {
                var (decider, path) = i % 2 == 0 ? (reviewerOnA, same) : (reviewerOnB, cross);
                await SampleAsync(ids[i], agentOnA, agent, decider, reviewer, path, options.WakeDelayMs).ConfigureAwait(false);
            }
        }));
    }

    private static async Task SampleAsync(string id, Api agentOnA, string agent, Api decider, string reviewer, Path path, int delayMs)
    {
        try
        {
            // Claimed before the poll starts, so the claim's own signal cannot be what wakes it.
            if (await decider.ClaimAsync(reviewer, id).ConfigureAwait(false) != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref path.Errors);
                return;
            }

            var poll = PollAsync(agentOnA, agent, id);
            await Task.Delay(delayMs).ConfigureAwait(false);
            if (poll.IsCompleted)
            {
                Interlocked.Increment(ref path.Early);
                await poll.ConfigureAwait(false);
                return;
            }

            var sent = Stopwatch.GetTimestamp();
            var decided = await decider.ApproveAsync(reviewer, id).ConfigureAwait(false);
            var answered = Stopwatch.GetTimestamp();
            var (status, woken) = await poll.ConfigureAwait(false);
            if (decided != HttpStatusCode.OK || status != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref path.Errors);
                return;
            }

            if (woken < answered)
            {
                Interlocked.Increment(ref path.PollFirst);
            }

            path.Wake.Add(Stopwatch.GetElapsedTime(answered, woken).TotalMilliseconds);
            path.EndToEnd.Add(Stopwatch.GetElapsedTime(sent, woken).TotalMilliseconds);
            path.Decision.Add(Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref path.Errors);
        }
    }

    /// <summary>The long-poll's status and the moment its answer had been read.</summary>
    private static async Task<(HttpStatusCode Status, long At)> PollAsync(Api api, string key, string id)
    {
        var status = await api.WaitForDecisionAsync(key, id, WaitSeconds).ConfigureAwait(false);
        return (status, Stopwatch.GetTimestamp());
    }
}
