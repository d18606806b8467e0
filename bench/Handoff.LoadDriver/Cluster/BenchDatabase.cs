using Npgsql;

namespace Handoff.LoadDriver.Cluster;

/// <summary>
/// A fresh PostgreSQL database for one scenario run, <c>bench_&lt;guid&gt;</c>, created through the admin connection
/// and dropped <c>WITH (FORCE)</c> afterwards (any node still connected is cut off).
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private BenchDatabase(string adminConnectionString, string name)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name };
        ConnectionString = builder.ConnectionString;
        var credentials = Uri.EscapeDataString(builder.Username ?? Environment.UserName)
            + (string.IsNullOrEmpty(builder.Password) ? "" : ":" + Uri.EscapeDataString(builder.Password));
        StoreUrl = $"postgres://{credentials}@{builder.Host}:{builder.Port}/{name}";
    }

    public string Name { get; }

    /// <summary>An Npgsql connection string for the database.</summary>
    public string ConnectionString { get; }

    /// <summary>The same database as <c>handoff serve --store</c> takes it: <c>postgres://user@host:port/db</c>.</summary>
    public string StoreUrl { get; }

    public static async Task<BenchDatabase> CreateAsync(string adminConnectionString)
    {
        var database = new BenchDatabase(adminConnectionString, "bench_" + Guid.NewGuid().ToString("N"));
        await database.AdminAsync($"CREATE DATABASE {database.Name}").ConfigureAwait(false);
        Cleanup.Add(database, () => database.AdminAsync($"DROP DATABASE IF EXISTS {database.Name} WITH (FORCE)").GetAwaiter().GetResult());
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        Cleanup.Remove(this);
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)").ConfigureAwait(false);
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
