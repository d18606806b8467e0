using System.CommandLine;
using Handoff.Storage.Postgres;
using Handoff.Storage.Relational;
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

    public static Option<string?> Store() => new("--store")
    {
        Description = "A PostgreSQL database to use instead of the SQLite file in --data: postgres://user@host:port/db or an Npgsql connection string.",
    };

    /// <summary>
    /// Opens the store the way the server does — the PostgreSQL database <paramref name="store"/> names, or else the
    /// SQLite file in <paramref name="dataDirectory"/> — migrating it first unless <paramref name="migrate"/> is false
    /// (a check must not change what it checks).
    /// </summary>
    /// <exception cref="FormatException"><paramref name="store"/> is neither a postgres:// URL nor a connection string.</exception>
    public static async Task<RelationalHandoffStore> OpenStoreAsync(string dataDirectory, string? store, CancellationToken cancellationToken, bool migrate = true)
    {
        RelationalHandoffStore opened;
        if (!string.IsNullOrWhiteSpace(store))
        {
            opened = new PostgresHandoffStore(PostgresConnection.CreateDataSource(store), TimeProvider.System, ownsDataSource: true);
        }
        else
        {
            Directory.CreateDirectory(dataDirectory);
            opened = new SqliteHandoffStore(Path.Combine(dataDirectory, "handoff.db"), TimeProvider.System);
        }

        var result = opened;
        if (migrate)
        {
            await result.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
