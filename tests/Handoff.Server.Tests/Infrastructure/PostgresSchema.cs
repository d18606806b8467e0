using Handoff.Storage.Postgres;
using Npgsql;

namespace Handoff.Server.Tests.Infrastructure;

/// <summary>
/// A schema of its own on the test PostgreSQL (<c>HANDOFF_TEST_POSTGRES</c>, set by <c>./build.sh test</c>); servers
/// given <see cref="Store"/> keep everything there. Disposing drops it.
/// </summary>
internal sealed class PostgresSchema : IDisposable
{
    private const string Variable = "HANDOFF_TEST_POSTGRES";

    public PostgresSchema()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            // Not a skip: CI starts the database, and a missing one must fail loudly.
            throw new InvalidOperationException(
                $"{Variable} is not set. Start a test PostgreSQL with `scripts/postgres.sh start` and export {Variable} to the connection string it prints.");
        }

        Name = $"t_{Guid.NewGuid():N}";
        Store = new NpgsqlConnectionStringBuilder(PostgresConnection.ToConnectionString(server)) { SearchPath = Name, ApplicationName = Name }.ConnectionString;
        Execute($"CREATE SCHEMA {Name}");
    }

    public string Name { get; }

    /// <summary>The connection string for <see cref="HandoffServerOptions.Store"/>; its connections carry the schema's name as their application name.</summary>
    public string Store { get; }

    public void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(Store);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP SCHEMA IF EXISTS {Name} CASCADE");
    }
}
