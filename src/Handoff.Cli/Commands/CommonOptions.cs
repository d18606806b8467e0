using System.CommandLine;
using Handoff.Storage.Sqlite;

namespace Handoff.Cli.Commands;

internal static class CommonOptions
{
    public const string DefaultDataDirectory = ".handoff";

    public static Option<string> Data() => new("--data")
    {
        Description = "Folder with the Handoff database (created when missing).",
        DefaultValueFactory = _ => DefaultDataDirectory,
    };

    public static Option<string> Workspace() => new("--workspace")
    {
        Description = "Workspace name.",
        DefaultValueFactory = _ => "default",
    };

    /// <summary>
    /// Opens the store in <paramref name="dataDirectory"/> the way the server does, migrating it first unless
    /// <paramref name="migrate"/> is false (a check must not change what it checks).
    /// </summary>
    public static async Task<SqliteHandoffStore> OpenStoreAsync(string dataDirectory, CancellationToken cancellationToken, bool migrate = true)
    {
        Directory.CreateDirectory(dataDirectory);
        var store = new SqliteHandoffStore(Path.Combine(dataDirectory, "handoff.db"), TimeProvider.System);
        if (migrate)
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return store;
    }
}
