using Handoff.Storage.Relational;
using Npgsql;

namespace Handoff.Storage.Postgres;

/// <summary>The PostgreSQL schema: the embedded <c>Postgres/Migrations/NNNN_name.sql</c> scripts.</summary>
internal static class PostgresMigrations
{
    private static readonly EmbeddedMigrations Migrations = new("Handoff.Storage.Postgres.Migrations.");

    public static IReadOnlyList<(int Version, string Name)> Known => Migrations.Known;

    /// <summary>
    /// Applies what is missing. Every migration transaction first takes an advisory lock, so nodes starting at the
    /// same moment migrate one at a time and the later ones find the versions applied.
    /// </summary>
    public static void Apply(NpgsqlConnection connection, TimeProvider time) =>
        Migrations.Apply(
            connection,
            static c =>
            {
                var transaction = ((NpgsqlConnection)c).BeginTransaction();
                AdvisoryLock.Take(transaction, AdvisoryLock.Migrations);
                return transaction;
            },
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer NOT NULL PRIMARY KEY,
                name        text NOT NULL,
                applied_at  text NOT NULL
            )
            """,
            time,
            new Dictionary<int, Action<System.Data.Common.DbConnection, System.Data.Common.DbTransaction>> { [9] = DecisionLedger.Backfill });
}
