using Handoff.LoadDriver;
using Handoff.LoadDriver.Cluster;

// Measures POST /v1/cases on the auto path against a trivial Kestrel endpoint on the same machine (the ceiling).
// Usage: dotnet run -c Release --project bench/Handoff.LoadDriver -- [--seconds 10] [--concurrency 32] [--warmup 3] [--handoff-only | --service-only]
// Several nodes on PostgreSQL (see Cluster/ClusterBench.cs for the options):
//        dotnet run -c Release --project bench/Handoff.LoadDriver -- --scenario claim-decide|wake-latency|skip-locked-ceiling|cluster
// Precedents (Learning/): --scenario precedents (speed at a million) | precedent-quality (CLINC150, words against meaning)
// The overview, inbox and history at a million cases (see OverviewBench.cs): --scenario overview [--cases 1000000]
// The audit log's Merkle tree at a million cases (see AuditProofBench.cs): --scenario audit-proof [--cases 1000000]
// How long a server takes to start and stop (see StartupBench.cs): --scenario startup [--starts 20]
// Webhooks (see WebhookBench.cs): dotnet run -c Release --project bench/Handoff.LoadDriver -- --scenario webhooks
if (Arguments.String(args, "--scenario", null) is "precedents")
{
    return await Handoff.LoadDriver.Learning.PrecedentBench.RunAsync(args).ConfigureAwait(false);
}

if (Arguments.String(args, "--scenario", null) is "precedent-quality")
{
    return await Handoff.LoadDriver.Learning.PrecedentQualityBench.RunAsync(args).ConfigureAwait(false);
}

if (Arguments.String(args, "--scenario", null) is "overview")
{
    return await OverviewBench.RunAsync(args).ConfigureAwait(false);
}

if (Arguments.String(args, "--scenario", null) is "audit-proof")
{
    return await AuditProofBench.RunAsync(args).ConfigureAwait(false);
}

if (Arguments.String(args, "--scenario", null) is "startup")
{
    return await StartupBench.RunAsync(args).ConfigureAwait(false);
}

if (Arguments.String(args, "--scenario", null) is "webhooks")
{
    return await WebhookBench.RunAsync(args).ConfigureAwait(false);
}

if (Arguments.String(args, "--scenario", null) is { } scenario)
{
    return await ClusterBench.RunAsync(scenario, args).ConfigureAwait(false);
}

var seconds = Arguments.Int(args, "--seconds", 10);
var concurrency = Arguments.Int(args, "--concurrency", 32);
var warmup = TimeSpan.FromSeconds(Arguments.Int(args, "--warmup", 3));

if (args.Contains("--handoff-only") || args.Contains("--service-only"))
{
    // One scenario alone: the auto path over HTTP, for profiling, or without HTTP, for changes to the write path.
    var withoutHttp = args.Contains("--service-only");
    // --allocations: what the measured requests allocate, by type (the warm-up's allocations are left out).
    using var sampler = args.Contains("--allocations") ? new AllocationSampler() : null;
    var alone = withoutHttp
        ? await Scenarios.ServiceOnlyAsync(seconds, concurrency, warmup, sampler).ConfigureAwait(false)
        : await Scenarios.AutoPathAsync(seconds, concurrency, warmup, sampler).ConfigureAwait(false);
    Console.WriteLine(alone.ToMarkdownRow(withoutHttp ? "CaseService.SubmitAsync, auto path" : "POST /v1/cases, auto path"));
    Console.WriteLine(alone.Breakdown());
    if (sampler is not null)
    {
        Console.WriteLine();
        Console.WriteLine(sampler.Report(alone.Requests));
    }

    return alone.Errors == 0 ? 0 : 1;
}

var ceiling = await Scenarios.TrivialEndpointAsync(seconds, concurrency, warmup).ConfigureAwait(false);
var handoff = await Scenarios.AutoPathAsync(seconds, concurrency, warmup).ConfigureAwait(false);
// --with-postgres: the same auto path on a fresh PostgreSQL database (the test server of scripts/postgres.sh, or
// --postgres CONNECTION / HANDOFF_TEST_POSTGRES), in the same run.
LoadResult? postgres = null;
if (args.Contains("--with-postgres"))
{
    var admin = ClusterOptions.AdminConnection(args);
    await using var database = await BenchDatabase.CreateAsync(admin).ConfigureAwait(false);
    postgres = await Scenarios.AutoPathAsync(seconds, concurrency, warmup, store: database.StoreUrl).ConfigureAwait(false);
}

Console.WriteLine();
Console.WriteLine($"| scenario | requests | throughput (req/s) | p50 (ms) | p99 (ms) | CPU per request (µs) | CPU busy | errors |");
Console.WriteLine($"|---|---:|---:|---:|---:|---:|---:|---:|");
Console.WriteLine(ceiling.ToMarkdownRow("trivial Kestrel endpoint (ceiling)"));
Console.WriteLine(handoff.ToMarkdownRow("POST /v1/cases, auto path"));
if (postgres is not null)
{
    Console.WriteLine(postgres.ToMarkdownRow("POST /v1/cases, auto path, PostgreSQL"));
}

Console.WriteLine();
Console.WriteLine($"ceiling: {ceiling.Breakdown()}");
Console.WriteLine($"auto path: {handoff.Breakdown()}");
if (postgres is not null)
{
    Console.WriteLine($"auto path on PostgreSQL: {postgres.Breakdown()}");
}

Console.WriteLine($"auto path / ceiling = {handoff.Throughput / ceiling.Throughput:P0} ({concurrency} concurrent clients, {seconds} s each, after a {warmup.TotalSeconds:0} s warm-up)");
if (postgres is not null)
{
    Console.WriteLine($"PostgreSQL auto path / SQLite auto path = {postgres.Throughput / handoff.Throughput:P0}; / ceiling = {postgres.Throughput / ceiling.Throughput:P0}");
}

return handoff.Errors == 0 && (postgres?.Errors ?? 0) == 0 ? 0 : 1;
