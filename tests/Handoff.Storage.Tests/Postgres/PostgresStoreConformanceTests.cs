namespace Handoff.Storage.Tests.Postgres;

/// <summary>The conformance suite on a real PostgreSQL, in a fresh schema per test.</summary>
public sealed class PostgresStoreConformanceTests : StoreConformanceTests, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override string MetricsBackend => "postgresql";

    protected override async Task<IHandoffStore> CreateStoreAsync()
    {
        var store = _database.Open(Time, Meters);
        await store.MigrateAsync(Ct);
        return store;
    }

    protected override void Tamper(string sql) => _database.Execute($"DROP TRIGGER IF EXISTS audit_append_only ON audit; {sql}");

    public void Dispose()
    {
        _database.Dispose();
        Meters.Dispose();
    }
}
