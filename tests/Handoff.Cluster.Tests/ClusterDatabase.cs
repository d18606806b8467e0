using Npgsql;

namespace Handoff.Cluster.Tests;

/// <summary>
/// A database of its own on the test PostgreSQL (<c>HANDOFF_TEST_POSTGRES</c>, which <c>./build.sh test</c> sets after
/// starting one with <c>scripts/postgres.sh</c>), created empty and dropped (connections and all) on dispose.
/// </summary>
internal sealed class ClusterDatabase : IAsyncDisposable
{
    public const string Variable = "HANDOFF_TEST_POSTGRES";

    private readonly string _server;

    private ClusterDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    /// <summary>What the nodes and the CLI get as <c>--store</c>.</summary>
    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<ClusterDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            // Not a skip: CI starts the database, and a missing one must fail loudly.
            throw new InvalidOperationException(
                $"{Variable} is not set. Start a test PostgreSQL with `scripts/postgres.sh start` and export {Variable} to the connection string it prints.");
        }

        var name = $"cluster_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new ClusterDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
