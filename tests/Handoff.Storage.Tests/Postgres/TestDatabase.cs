using System.Diagnostics.Metrics;
using Handoff.Storage.Postgres;
using Npgsql;

namespace Handoff.Storage.Tests.Postgres;

/// <summary>
/// A schema of its own on the test PostgreSQL (<c>HANDOFF_TEST_POSTGRES</c>, which <c>./build.sh test</c> sets after
/// starting one with <c>scripts/postgres.sh</c>): stores opened here see only that schema. Disposing closes them and
/// drops the schema.
/// </summary>
internal sealed class TestDatabase : IDisposable
{
    public const string Variable = "HANDOFF_TEST_POSTGRES";

    private readonly List<PostgresHandoffStore> _stores = [];

    public TestDatabase()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            // Not a skip: CI starts the database, and a missing one must fail loudly.
            throw new InvalidOperationException(
                $"{Variable} is not set. Start a test PostgreSQL with `scripts/postgres.sh start` and export {Variable} to the connection string it prints.");
        }

        Schema = $"t_{Guid.NewGuid():N}";
        ServerConnectionString = PostgresConnection.ToConnectionString(server);
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { SearchPath = Schema }.ConnectionString;
        Execute($"CREATE SCHEMA {Schema}");
    }

    public string Schema { get; }

    /// <summary>The server as the environment names it, without the schema.</summary>
    public string ServerConnectionString { get; }

    /// <summary>Connects to this schema only.</summary>
    public string ConnectionString { get; }

    public PostgresHandoffStore Open(TimeProvider time, IMeterFactory? meters = null)
    {
        var store = new PostgresHandoffStore(PostgresConnection.CreateDataSource(ConnectionString), time, ownsDataSource: true, meters);
        _stores.Add(store);
        return store;
    }

    /// <summary>Runs <paramref name="sql"/> on this schema and returns the first column of the first row.</summary>
    public object? Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        NpgsqlConnection.ClearAllPools();
        Execute($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
    }
}
