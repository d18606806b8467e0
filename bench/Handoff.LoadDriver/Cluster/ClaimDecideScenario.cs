using System.Diagnostics;
using System.Net;

namespace Handoff.LoadDriver.Cluster;

/// <summary>
/// <c>claim-decide</c>: N real nodes on one fresh database; an agent submits pending cases (spread over the nodes),
/// then R reviewers, each with a key of their own and each talking to one node (reviewer r to node r mod N),
/// claim and approve them as fast as they can.
/// <list type="bullet">
/// <item><c>disjoint</c>: reviewer r takes the known ids r, r+R, r+2R, …: no two reviewers ever want the same case,
/// so this measures the claim-and-decide path itself (two writes, each its own turn on the cluster's write lock).</item>
/// <item><c>shared</c>: every reviewer picks from <c>GET /v1/cases?status=pending</c> (the first page, newest first, in a
/// random order of their own) and claims until a claim succeeds, then decides it and looks at the queue again:
/// what a queue shared by many reviewers costs — 409s for cases someone else took first, and the list reads.</item>
/// </list>
/// A warm-up of its own cases (decided the disjoint way) runs first and is not counted.
/// </summary>
internal static class ClaimDecideScenario
{
    public sealed record Result(
        int Nodes, bool Sqlite, string Picking, int Reviewers, int Decisions, TimeSpan Elapsed, Samples ClaimDecide, Samples PickClaimDecide,
        long Conflicts, long ListCalls, long Errors, int Submitted, TimeSpan SubmitElapsed, Samples Submit, CpuMeter.Usage Cpu, CpuMeter.Usage SubmitCpu)
    {
        public double DecisionsPerSecond => Decisions / Elapsed.TotalSeconds;

        public double SubmitsPerSecond => Submitted / SubmitElapsed.TotalSeconds;
    }

    /// <param name="sqlite">One node on its own SQLite file instead (the reference: the same server, the other backend).</param>
    public static async Task<Result> RunAsync(ClusterOptions options, int nodeCount, string picking, bool sqlite = false)
    {
        if (sqlite)
        {
            nodeCount = 1;
        }

        await using var database = sqlite ? null : await BenchDatabase.CreateAsync(options.AdminConnectionString).ConfigureAwait(false);
        var nodes = new List<HandoffNode>();
        var apis = new List<Api>();
        try
        {
            for (var i = 0; i < nodeCount; i++)
            {
                nodes.Add(await HandoffNode.StartAsync(options.Cli, database?.StoreUrl).ConfigureAwait(false));
            }

            var store = database is null ? NodeStore.Sqlite(nodes[0].DataDirectory) : NodeStore.Postgres(database.StoreUrl);
            var agent = await options.Cli.CreateKeyAsync(store, "agent", "bench agent").ConfigureAwait(false);
            var reviewers = await options.Cli.CreateKeysAsync(store, "reviewer", options.Reviewers).ConfigureAwait(false);
            apis.AddRange(nodes.Select(n => new Api(n.Address, options.Reviewers + 32)));
            Console.Error.WriteLine($"claim-decide: {nodeCount} node(s) {string.Join(", ", nodes.Select(n => $"{n.Address} (pid {n.ProcessId})"))} on {database?.Name ?? "SQLite in " + nodes[0].DataDirectory}; {picking} picking");

            var submit = new Samples();
            var cpu = CpuMeter.Start(nodes.Select(n => n.ProcessId));
            var clock = Stopwatch.StartNew();
            var ids = await SubmitAsync(apis, agent, options.WarmupCases + options.Cases, concurrency: 16, submit).ConfigureAwait(false);
            var submitElapsed = clock.Elapsed;
            var submitCpu = cpu.Stop();
            Console.Error.WriteLine($"  submitted {ids.Length} cases in {submitElapsed.TotalSeconds:0.0} s; warming up");

            var warm = new Counters();
            await DisjointAsync(apis, reviewers, ids[..options.WarmupCases], new Samples(), warm).ConfigureAwait(false);
            if (warm.Errors > 0)
            {
                throw new InvalidOperationException($"{warm.Errors} claim/decide errors during the warm-up");
            }

            var measured = ids[options.WarmupCases..];
            var claimDecide = new Samples();
            var pickClaimDecide = new Samples();
            var counters = new Counters();
            Console.Error.WriteLine($"  measuring {measured.Length} claim-and-decides");
            cpu = CpuMeter.Start(nodes.Select(n => n.ProcessId));
            clock.Restart();
            if (picking == "shared")
            {
                await SharedAsync(apis, reviewers, options.PageSize, claimDecide, pickClaimDecide, counters).ConfigureAwait(false);
            }
            else
            {
                await DisjointAsync(apis, reviewers, measured, claimDecide, counters).ConfigureAwait(false);
            }

            var elapsed = clock.Elapsed;
            var usage = cpu.Stop();
            return new Result(nodeCount, sqlite, picking, options.Reviewers, (int)counters.Decisions, elapsed, claimDecide, pickClaimDecide,
                counters.Conflicts, counters.ListCalls, counters.Errors, ids.Length, submitElapsed, submit, usage, submitCpu);
        }
        finally
        {
            apis.ForEach(a => a.Dispose());
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
    }

    /// <summary>Submits <paramref name="count"/> review cases, case n to node n mod N; their ids in order.</summary>
    internal static async Task<string[]> SubmitAsync(IReadOnlyList<Api> apis, string agent, int count, int concurrency, Samples samples)
    {
        var ids = new string[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var n = Interlocked.Increment(ref next); n < count; n = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                var (id, status) = await apis[n % apis.Count].SubmitAsync(agent, n).ConfigureAwait(false);
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                ids[n] = status == "pending" ? id : throw new InvalidOperationException($"Case {id} was created {status}, not pending: the policy is not the built-in one?");
            }
        })).ConfigureAwait(false);
        return ids;
    }

    private static Task DisjointAsync(IReadOnlyList<Api> apis, string[] reviewers, string[] ids, Samples claimDecide, Counters counters) =>
        Task.WhenAll(Enumerable.Range(0, reviewers.Length).Select(async r =>
        {
            var api = apis[r % apis.Count];
            for (var i = r; i < ids.Length; i += reviewers.Length)
            {
                var started = Stopwatch.GetTimestamp();
                if (await ClaimAndDecideAsync(api, reviewers[r], ids[i], counters).ConfigureAwait(false) == HttpStatusCode.OK)
                {
                    claimDecide.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }));

    private static Task SharedAsync(IReadOnlyList<Api> apis, string[] reviewers, int pageSize, Samples claimDecide, Samples pickClaimDecide, Counters counters) =>
        Task.WhenAll(Enumerable.Range(0, reviewers.Length).Select(async r =>
        {
            var api = apis[r % apis.Count];
            var random = new Random(r);
            while (true)
            {
                var picking = Stopwatch.GetTimestamp();
                List<string> page;
                try
                {
                    page = await api.PendingAsync(reviewers[r], pageSize).ConfigureAwait(false);
                }
                catch (HttpRequestException)
                {
                    // A node that keeps failing ends the run (with its errors counted) rather than spinning.
                    if (Interlocked.Increment(ref counters.Errors) > 100)
                    {
                        return;
                    }

                    continue;
                }

                Interlocked.Increment(ref counters.ListCalls);
                if (page.Count == 0)
                {
                    return;
                }

                var candidates = page.ToArray();
                random.Shuffle(candidates);
                foreach (var id in candidates)
                {
                    var started = Stopwatch.GetTimestamp();
                    var status = await ClaimAndDecideAsync(api, reviewers[r], id, counters).ConfigureAwait(false);
                    if (status == HttpStatusCode.OK)
                    {
                        claimDecide.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        pickClaimDecide.Add(Stopwatch.GetElapsedTime(picking).TotalMilliseconds);
                        break;
                    }
                }
            }
        }));

    /// <summary>Claim, then approve: OK when both succeeded, Conflict when the claim found the case taken.</summary>
    private static async Task<HttpStatusCode> ClaimAndDecideAsync(Api api, string reviewer, string id, Counters counters)
    {
        try
        {
            var claim = await api.ClaimAsync(reviewer, id).ConfigureAwait(false);
            if (claim == HttpStatusCode.Conflict)
            {
                Interlocked.Increment(ref counters.Conflicts);
                return claim;
            }

            if (claim != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref counters.Errors);
                return claim;
            }

            var decision = await api.ApproveAsync(reviewer, id).ConfigureAwait(false);
            if (decision != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref counters.Errors);
                return decision;
            }

            Interlocked.Increment(ref counters.Decisions);
            return decision;
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref counters.Errors);
            return HttpStatusCode.ServiceUnavailable;
        }
    }

    private sealed class Counters
    {
        public long Decisions;
        public long Conflicts;
        public long ListCalls;
        public long Errors;
    }
}
