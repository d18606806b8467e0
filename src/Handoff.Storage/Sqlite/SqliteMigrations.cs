using Handoff.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Sqlite;

/// <summary>The SQLite schema: the embedded <c>Sqlite/Migrations/NNNN_name.sql</c> scripts.</summary>
internal static class SqliteMigrations
{
    private static readonly EmbeddedMigrations Migrations = new("Handoff.Storage.Sqlite.Migrations.");

    public static IReadOnlyList<(int Version, string Name)> Known => Migrations.Known;

    // BEGIN IMMEDIATE: another process starting at the same moment waits for the write lock, then sees the version applied.
    public static void Apply(SqliteConnection connection, TimeProvider time) =>
        Migrations.Apply(
            connection,
            static c => ((SqliteConnection)c).BeginTransaction(deferred: false),
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     INTEGER NOT NULL PRIMARY KEY,
                name        TEXT NOT NULL,
                applied_at  TEXT NOT NULL
            ) STRICT
            """,
            time,
            new Dictionary<int, Action<System.Data.Common.DbConnection, System.Data.Common.DbTransaction>> { [10] = DecisionLedger.Backfill });
}
