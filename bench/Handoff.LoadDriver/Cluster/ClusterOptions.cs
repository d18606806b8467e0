namespace Handoff.LoadDriver.Cluster;

/// <summary>The cluster scenarios' settings, from the command line (defaults are the sizes docs/benchmarks.md uses).</summary>
internal sealed record ClusterOptions(
    HandoffCli Cli,
    string AdminConnectionString,
    int[] Nodes,
    int Cases,
    int WarmupCases,
    int Reviewers,
    string Picking,
    int PageSize,
    int Samples,
    int WarmupSamples,
    int WakeParallel,
    int WakeDelayMs,
    int CeilingRows,
    int[] CeilingConnections,
    bool WithSqlite)
{
    /// <summary>The throwaway PostgreSQL of scripts/postgres.sh, unless --postgres or HANDOFF_TEST_POSTGRES says otherwise.</summary>
    public const string DefaultPostgres = "Host=127.0.0.1;Port=55432;Username=handoff;Database=handoff";

    /// <summary>The PostgreSQL server's admin connection string: --postgres, else HANDOFF_TEST_POSTGRES, else <see cref="DefaultPostgres"/>.</summary>
    public static string AdminConnection(string[] args) =>
        Arguments.String(args, "--postgres", Environment.GetEnvironmentVariable("HANDOFF_TEST_POSTGRES") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultPostgres)!;

    public static ClusterOptions Parse(string[] args)
    {
        var reviewers = Arguments.Int(args, "--reviewers", 20);
        var cases = Arguments.Int(args, "--cases", 3000);
        var cli = HandoffCli.Locate(Arguments.String(args, "--handoff-dll", null));
        if (Arguments.String(args, "--node-env", null) is { } variable && variable.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
        {
            cli.Environment[variable[..equals]] = variable[(equals + 1)..];
        }

        return new ClusterOptions(
            cli,
            AdminConnection(args),
            Arguments.Ints(args, "--nodes", [1, 3]),
            cases,
            Arguments.Int(args, "--warmup-cases", 300),
            reviewers,
            Arguments.String(args, "--picking", "both")!,
            Arguments.Int(args, "--page", 50),
            Arguments.Int(args, "--samples", 500),
            Arguments.Int(args, "--warmup-samples", 25),
            Arguments.Int(args, "--wake-parallel", 1),
            Arguments.Int(args, "--wake-delay-ms", 30),
            Arguments.Int(args, "--ceiling-rows", cases),
            Arguments.Ints(args, "--ceiling-connections", [reviewers, 1]),
            args.Contains("--with-sqlite"));
    }
}
