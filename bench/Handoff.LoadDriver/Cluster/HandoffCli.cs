using System.Diagnostics;

namespace Handoff.LoadDriver.Cluster;

/// <summary>The built <c>handoff</c> CLI (<c>dotnet …/handoff.dll</c>): nodes and API keys come from it, as an operator would get them.</summary>
internal sealed class HandoffCli(string dll)
{
    public string Dll { get; } = dll;

    /// <summary>Extra environment variables for every CLI process (<c>--node-env NAME=VALUE</c>, for experiments).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The CLI built next to this driver: src/Handoff.Cli/bin/&lt;same configuration&gt;/net10.0/handoff.dll, found by
    /// walking up from the driver to the folder holding Handoff.slnx.
    /// </summary>
    public static HandoffCli Locate(string? explicitDll)
    {
        if (explicitDll is not null)
        {
            return File.Exists(explicitDll) ? new HandoffCli(Path.GetFullPath(explicitDll)) : throw new FileNotFoundException("--handoff-dll: no such file", explicitDll);
        }

        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent?.Name ?? "Release";
        for (var folder = here; folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Handoff.slnx")))
            {
                var dll = Path.Combine(folder.FullName, "src", "Handoff.Cli", "bin", configuration, framework, "handoff.dll");
                return File.Exists(dll)
                    ? new HandoffCli(dll)
                    : throw new FileNotFoundException($"Build the CLI first: dotnet build src/Handoff.Cli -c {configuration}", dll);
            }
        }

        throw new FileNotFoundException("Could not find Handoff.slnx above the driver; pass --handoff-dll PATH.");
    }

    public Process Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
    }

    /// <summary>Runs the CLI to the end and returns what it printed on stdout; throws when it fails.</summary>
    public async Task<string> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode == 0
            ? (await output.ConfigureAwait(false)).Trim()
            : throw new InvalidOperationException($"handoff {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error.ConfigureAwait(false)}");
    }

    /// <summary>
    /// <c>handoff keys create --store STORE --role ROLE --name NAME</c> (or <c>--data DIR</c> for a SQLite node): the
    /// new key.
    /// </summary>
    public Task<string> CreateKeyAsync(NodeStore store, string role, string name) =>
        RunAsync(["keys", "create", .. store.Arguments, "--role", role, "--name", name]);

    /// <summary>Several keys, two CLI processes at a time (this machine has two cores).</summary>
    public async Task<string[]> CreateKeysAsync(NodeStore store, string role, int count)
    {
        var keys = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 },
            async (i, _) => keys[i] = await CreateKeyAsync(store, role, $"bench {role} {i + 1}").ConfigureAwait(false)).ConfigureAwait(false);
        return keys;
    }
}

/// <summary>Where the CLI finds the nodes' data: the shared PostgreSQL database, or one SQLite node's data folder.</summary>
internal sealed record NodeStore(string? PostgresUrl, string? DataDirectory)
{
    public string[] Arguments => PostgresUrl is not null ? ["--store", PostgresUrl] : ["--data", DataDirectory!];

    public static NodeStore Postgres(string url) => new(url, null);

    public static NodeStore Sqlite(string dataDirectory) => new(null, dataDirectory);
}
