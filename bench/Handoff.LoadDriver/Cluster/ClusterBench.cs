using System.Globalization;

namespace Handoff.LoadDriver.Cluster;

/// <summary>
/// The cluster scenarios (issue 4): real <c>handoff serve --store postgres://…</c> processes sharing one PostgreSQL
/// database, each scenario on a database of its own that is dropped afterwards.
/// <code>
/// dotnet run -c Release --project bench/Handoff.LoadDriver -- --scenario claim-decide|wake-latency|skip-locked-ceiling|cluster
///     [--postgres CONNSTRING] [--nodes 1,3] [--cases 3000] [--warmup-cases 300] [--reviewers 20] [--picking disjoint|shared|both]
///     [--page 50] [--samples 500] [--warmup-samples 25] [--wake-parallel 1] [--wake-delay-ms 30]
///     [--ceiling-rows 3000] [--ceiling-connections 20,1] [--with-sqlite] [--handoff-dll PATH] [--node-env NAME=VALUE]
/// </code>
/// <c>cluster</c> runs all three. <c>--with-sqlite</c> adds a claim-decide run of one node on its own SQLite file, for
/// reference. The CLI must be built in the same configuration (building the driver builds it).
/// </summary>
internal static class ClusterBench
{
    public static readonly string[] Names = ["claim-decide", "wake-latency", "skip-locked-ceiling", "waiters", "cluster"];

    public static async Task<int> RunAsync(string scenario, string[] args)
    {
        if (!Names.Contains(scenario))
        {
            await Console.Error.WriteLineAsync($"Unknown scenario '{scenario}'; one of: {string.Join(", ", Names)}").ConfigureAwait(false);
            return 2;
        }

        var options = ClusterOptions.Parse(args);
        Console.Error.WriteLine($"handoff CLI: {options.Cli.Dll}");
        var ok = true;
        if (scenario is "claim-decide" or "cluster")
        {
            ok &= await ClaimDecideAsync(options).ConfigureAwait(false);
        }

        if (scenario is "skip-locked-ceiling" or "cluster")
        {
            ok &= await CeilingAsync(options).ConfigureAwait(false);
        }

        if (scenario is "wake-latency" or "cluster")
        {
            ok &= await WakeAsync(options).ConfigureAwait(false);
        }

        if (scenario is "waiters")
        {
            Console.WriteLine(WaitersScenario.Header);
            ok &= await WaitersScenario.RunAsync(options, args).ConfigureAwait(false);
        }

        return ok ? 0 : 1;
    }

    private static async Task<bool> ClaimDecideAsync(ClusterOptions options)
    {
        string[] pickings = options.Picking == "both" ? ["disjoint", "shared"] : [options.Picking];
        var results = new List<ClaimDecideScenario.Result>();
        var runs = options.Nodes.Select(n => (Nodes: n, Sqlite: false)).ToList();
        if (options.WithSqlite)
        {
            runs.Insert(0, (1, true));
        }

        foreach (var (nodes, sqlite) in runs)
        {
            foreach (var picking in pickings)
            {
                var result = await ClaimDecideScenario.RunAsync(options, nodes, picking, sqlite).ConfigureAwait(false);
                Console.Error.WriteLine(Invariant($"  {result.Decisions} decisions in {result.Elapsed.TotalSeconds:0.00} s = {result.DecisionsPerSecond:N0}/s, p50 {result.ClaimDecide.Format(0.5)} ms, p99 {result.ClaimDecide.Format(0.99)} ms, 409s {result.Conflicts}, errors {result.Errors}"));
                results.Add(result);
            }
        }

        Console.WriteLine();
        Console.WriteLine(Invariant($"claim-decide: {options.Cases:N0} pending cases (after {options.WarmupCases} warm-up), {options.Reviewers} reviewers, each with its own key, reviewer r on node r mod N"));
        Console.WriteLine();
        Console.WriteLine("| nodes | picking | decisions | time (s) | decisions/s | claim+decide p50 (ms) | p99 (ms) | pick+claim+decide p50 / p99 (ms) | 409s | list reads | errors | CPU (cores used) |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var picking = r.Picking == "shared" ? $"{r.PickClaimDecide.Format(0.5)} / {r.PickClaimDecide.Format(0.99)}" : "–";
            Console.WriteLine(Invariant($"| {Nodes(r)} | {r.Picking} | {r.Decisions:N0} | {r.Elapsed.TotalSeconds:0.00} | {r.DecisionsPerSecond:N0} | {r.ClaimDecide.Format(0.5)} | {r.ClaimDecide.Format(0.99)} | {picking} | {r.Conflicts:N0} | {r.ListCalls:N0} | {r.Errors} | {r.Cpu} |"));
        }

        Console.WriteLine();
        Console.WriteLine("Submitting the cases first (16 concurrent agents' requests, case n to node n mod N, review path: case row + audit entry):");
        Console.WriteLine();
        Console.WriteLine("| nodes | picking run | cases | submits/s | p50 (ms) | p99 (ms) | CPU (cores used) |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            Console.WriteLine(Invariant($"| {Nodes(r)} | {r.Picking} | {r.Submitted:N0} | {r.SubmitsPerSecond:N0} | {r.Submit.Format(0.5)} | {r.Submit.Format(0.99)} | {r.SubmitCpu} |"));
        }

        return results.All(r => r.Errors == 0 && r.Decisions == options.Cases);
    }

    private static async Task<bool> CeilingAsync(ClusterOptions options)
    {
        var results = new List<SkipLockedCeilingScenario.Result>();
        foreach (var connections in options.CeilingConnections)
        {
            foreach (var advisory in (bool[])[false, true])
            {
                if (advisory && connections == 1)
                {
                    continue;
                }

                var result = await SkipLockedCeilingScenario.RunAsync(options, connections, advisory).ConfigureAwait(false);
                Console.Error.WriteLine(Invariant($"  {result.Claims} claims in {result.Elapsed.TotalSeconds:0.00} s = {result.ClaimsPerSecond:N0}/s"));
                results.Add(result);
            }
        }

        Console.WriteLine();
        Console.WriteLine(Invariant($"skip-locked-ceiling: {options.CeilingRows:N0} rows of ~1 KB (after {options.WarmupCases} warm-up rows), one row per transaction"));
        Console.WriteLine();
        Console.WriteLine("| connections | one advisory lock per transaction | claims | time (s) | claims/s | p50 (ms) | p99 (ms) | CPU (cores used) |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            Console.WriteLine(Invariant($"| {r.Connections} | {(r.Advisory ? "yes" : "no")} | {r.Claims:N0} | {r.Elapsed.TotalSeconds:0.00} | {r.ClaimsPerSecond:N0} | {r.Latency.Format(0.5)} | {r.Latency.Format(0.99)} | {r.Cpu} |"));
        }

        return results.All(r => r.Claims == options.CeilingRows);
    }

    private static async Task<bool> WakeAsync(ClusterOptions options)
    {
        var (same, cross, cpu) = await WakeLatencyScenario.RunAsync(options).ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine(Invariant($"wake-latency: {options.Samples} samples per path (after {options.WarmupSamples} warm-up each), {options.WakeParallel} at a time, paths alternating; the decision is sent {options.WakeDelayMs} ms after the long-poll"));
        Console.WriteLine();
        Console.WriteLine("| path | samples | wake p50 (ms) | p90 | p99 | max | decision sent → poll 200, p50 / p99 (ms) | decision round trip p50 (ms) | poll first | early | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in (WakeLatencyScenario.Path[])[same, cross])
        {
            Console.WriteLine(Invariant($"| {p.Name} | {p.Wake.Count} | {p.Wake.Format(0.5)} | {p.Wake.Format(0.9)} | {p.Wake.Format(0.99)} | {p.Wake.Format(1)} | {p.EndToEnd.Format(0.5)} / {p.EndToEnd.Format(0.99)} | {p.Decision.Format(0.5)} | {p.PollFirst} | {p.Early} | {p.Errors} |"));
        }

        Console.WriteLine();
        Console.WriteLine("wake = from the decision's response read by the reviewer to the long-poll's 200 read by the agent (negative: the poll answered first; 'poll first' counts those).");
        Console.WriteLine($"CPU while sampling (cores used): {cpu}");
        return same.Errors + cross.Errors == 0 && same.Wake.Count == options.Samples && cross.Wake.Count == options.Samples;
    }

    private static string Nodes(ClaimDecideScenario.Result r) => r.Sqlite ? "1 (SQLite)" : r.Nodes.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
