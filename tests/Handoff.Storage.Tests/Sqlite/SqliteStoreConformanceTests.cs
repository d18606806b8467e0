using Handoff.Storage.Sqlite;

namespace Handoff.Storage.Tests.Sqlite;

/// <summary>The conformance suite on a real SQLite file in a fresh temporary directory per test.</summary>
public sealed class SqliteStoreConformanceTests : StoreConformanceTests, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override string MetricsBackend => "sqlite";

    protected override async Task<IHandoffStore> CreateStoreAsync()
    {
        var store = _database.Open(Time, Meters);
        await store.MigrateAsync(Ct);
        return store;
    }

    protected override void Tamper(string sql)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; {sql}";
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _database.Dispose();
        Meters.Dispose();
    }
}
