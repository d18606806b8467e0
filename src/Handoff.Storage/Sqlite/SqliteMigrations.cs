using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Sqlite;

/// <summary>
/// Applies the embedded <c>Sqlite/Migrations/NNNN_name.sql</c> scripts in version order, each in its own transaction
/// together with its row in <c>schema_migrations</c>, so a script is applied completely and exactly once.
/// </summary>
internal static class SqliteMigrations
{
    private const string ResourcePrefix = "Handoff.Storage.Sqlite.Migrations.";

    public static IReadOnlyList<(int Version, string Name)> Known { get; } = Load().Select(m => (m.Version, m.Name)).ToArray();

    public static void Apply(SqliteConnection connection, TimeProvider time)
    {
        Execute(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     INTEGER NOT NULL PRIMARY KEY,
                name        TEXT NOT NULL,
                applied_at  TEXT NOT NULL
            ) STRICT
            """);

        var migrations = Load();
        var newest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        foreach (var (version, name, script) in migrations)
        {
            // BEGIN IMMEDIATE: another process starting at the same moment waits here, then sees the version applied.
            using var transaction = connection.BeginTransaction(deferred: false);
            if (Scalar(connection, transaction, "SELECT count(*) FROM schema_migrations WHERE version = $v", version) > 0)
            {
                continue;
            }

            Execute(connection, transaction, script);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)";
            record.Bind("$v", version).Bind("$n", name).Bind("$t", SqliteValues.Time(time.GetUtcNow()));
            record.ExecuteNonQuery();
            transaction.Commit();
        }

        var applied = Scalar(connection, null, "SELECT coalesce(max(version), 0) FROM schema_migrations WHERE version > $v", newest);
        if (applied > 0)
        {
            throw new InvalidOperationException(
                $"The database has schema version {applied}, newer than this Handoff knows ({newest}). Use a newer Handoff.");
        }
    }

    private static List<(int Version, string Name, string Script)> Load()
    {
        var assembly = typeof(SqliteMigrations).Assembly;
        var migrations = new List<(int Version, string Name, string Script)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var separator = name.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(name.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration '{resource}' is not named NNNN_name.sql.");
            }

            migrations.Add((version, name, Read(assembly, resource)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations have version {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, long value)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Bind("$v", value);
        return (long)command.ExecuteScalar()!;
    }
}
