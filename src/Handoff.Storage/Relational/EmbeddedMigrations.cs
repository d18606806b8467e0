using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace Handoff.Storage.Relational;

/// <summary>
/// A backend's schema as embedded <c>NNNN_name.sql</c> scripts, applied in version order, each in its own transaction
/// together with its row in <c>schema_migrations</c>, so a script is applied completely and exactly once.
/// </summary>
internal sealed class EmbeddedMigrations
{
    private readonly List<(int Version, string Name, string Script)> _migrations;

    /// <param name="resourcePrefix">The manifest resource names' prefix, e.g. <c>Handoff.Storage.Sqlite.Migrations.</c>.</param>
    public EmbeddedMigrations(string resourcePrefix)
    {
        _migrations = Load(resourcePrefix);
        Known = [.. _migrations.Select(m => (m.Version, m.Name))];
    }

    public IReadOnlyList<(int Version, string Name)> Known { get; }

    /// <summary>
    /// Applies what is missing. <paramref name="begin"/> starts a transaction that keeps other processes from
    /// migrating at the same moment until it ends, so a process that starts beside another waits, then sees the
    /// version applied. <paramref name="createTable"/> creates <c>schema_migrations</c> (version, name, applied_at)
    /// if it does not exist.
    /// </summary>
    /// <param name="steps">Code to run after a version's script, in its transaction (filling a new table from old rows).</param>
    /// <exception cref="InvalidOperationException">The database has a newer version than these scripts know.</exception>
    public void Apply(
        DbConnection connection, Func<DbConnection, DbTransaction> begin, string createTable, TimeProvider time,
        IReadOnlyDictionary<int, Action<DbConnection, DbTransaction>>? steps = null)
    {
        using (var transaction = begin(connection))
        {
            Execute(connection, transaction, createTable);
            transaction.Commit();
        }

        var newest = _migrations.Count == 0 ? 0 : _migrations[^1].Version;
        foreach (var (version, name, script) in _migrations)
        {
            using var transaction = begin(connection);
            if (Scalar(connection, transaction, "SELECT count(*) FROM schema_migrations WHERE version = @v", version) > 0)
            {
                continue;
            }

            Execute(connection, transaction, script);
            if (steps?.GetValueOrDefault(version) is { } step)
            {
                step(connection, transaction);
            }

            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)";
            record.Bind("@v", version).Bind("@n", name).Bind("@t", DbValues.Time(time.GetUtcNow()));
            record.ExecuteNonQuery();
            transaction.Commit();
        }

        var applied = Scalar(connection, null, "SELECT coalesce(max(version), 0) FROM schema_migrations WHERE version > @v", newest);
        if (applied > 0)
        {
            throw new InvalidOperationException(
                $"The database has schema version {applied}, newer than this Handoff knows ({newest}). Use a newer Handoff.");
        }
    }

    private static List<(int Version, string Name, string Script)> Load(string resourcePrefix)
    {
        var assembly = typeof(EmbeddedMigrations).Assembly;
        var migrations = new List<(int Version, string Name, string Script)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(resourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[resourcePrefix.Length..^".sql".Length];
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

    private static void Execute(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(DbConnection connection, DbTransaction? transaction, string sql, long value)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Bind("@v", value);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
