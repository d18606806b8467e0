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

    public void Dispose()
    {
        _database.Dispose();
        Meters.Dispose();
    }
}
