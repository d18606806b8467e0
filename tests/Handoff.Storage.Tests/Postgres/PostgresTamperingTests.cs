using Handoff.Core.Cases;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Storage.Tests.Postgres;

/// <summary>
/// Tampering only PostgreSQL allows: its owner can drop a column's NOT NULL and blank a field, which SQLite's STRICT
/// tables cannot be made to do without rebuilding the table.
/// </summary>
public sealed class PostgresTamperingTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ReadAudit_AnEntryWithAFieldSetToNull_ThrowsNamingTheEntryAndTheField()
    {
        var store = _database.Open(_time);
        await store.MigrateAsync(Ct);
        var workspace = await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct);
        await store.PublishPolicyAsync(workspace.Id, "rules: []", Actor.Cli("ops"), Ct);
        await store.SealAllAsync(Ct);
        _database.Execute("""
            DROP TRIGGER audit_append_only ON audit;
            ALTER TABLE audit ALTER COLUMN actor_name DROP NOT NULL;
            UPDATE audit SET actor_name = NULL WHERE seq = 2
            """);

        var e = await Assert.ThrowsAsync<BrokenRecordException>(() => store.ReadAuditAsync(0, 100, Ct));

        Assert.Equal("entry 2 is broken: its actor_name is missing", e.Message);
    }
}
