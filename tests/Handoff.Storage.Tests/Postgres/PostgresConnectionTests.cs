using Handoff.Storage.Postgres;
using Npgsql;

namespace Handoff.Storage.Tests.Postgres;

/// <summary>The data source the server opens, against the test PostgreSQL.</summary>
public sealed class PostgresConnectionTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    // Npgsql prepares a statement on its fifth run on a connection (AutoPrepareMinUsages).
    [Theory]
    [InlineData("", 1)]
    [InlineData(";Max Auto Prepare=0", 0)]
    [InlineData(";MaxAutoPrepare=0", 0)]
    public async Task CreateDataSource_PreparesStatementsRunAgain_UnlessTheStoreSaysOtherwise(string setting, long prepared)
    {
        await using var source = PostgresConnection.CreateDataSource(_database.ConnectionString + setting);
        await using var connection = await source.OpenConnectionAsync(Ct);
        for (var i = 0; i < 6; i++)
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_class WHERE relname = @name", connection);
            command.Parameters.AddWithValue("name", "cases");
            await command.ExecuteScalarAsync(Ct);
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%pg_class%'", connection);
        Assert.Equal(prepared, (long)(await count.ExecuteScalarAsync(Ct))!);
    }
}
