using Handoff.Core.Cases;
using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Sqlite;

/// <summary>
/// The default store: one SQLite file in WAL mode, for one server process. Writes go through a single connection
/// one at a time (see <see cref="SqliteWriter"/>); reads use pooled connections of their own and never wait for
/// writes. Thread-safe; register one instance per database file and dispose it on shutdown.
/// </summary>
public sealed partial class SqliteHandoffStore : IHandoffStore, IDisposable
{
    private const int MaxPageSize = 200;
    private const int MaxAuditPage = 10_000;

    private readonly string _readConnectionString;
    private readonly SqliteWriter _writer;
    private readonly TimeProvider _time;

    /// <param name="databasePath">The database file; it and its directory are created by <see cref="MigrateAsync"/> when missing.</param>
    /// <param name="timeProvider">The clock for audit entries and for creation times the store assigns itself.</param>
    public SqliteHandoffStore(string databasePath, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _readConnectionString = BuildConnectionString(databasePath);
        _writer = new SqliteWriter(BuildConnectionString(databasePath, pooling: false), databasePath, timeProvider);
    }

    /// <summary>
    /// The connection string Handoff uses for <paramref name="databasePath"/>: read-write, created when missing, with a
    /// private cache. <paramref name="pooling"/> is off for the long-lived writer, which has no use for a pool.
    /// </summary>
    public static string BuildConnectionString(string databasePath, bool pooling = true) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = pooling,
            DefaultTimeout = 5,
        }.ToString();

    public Task MigrateAsync(CancellationToken cancellationToken = default) => _writer.MigrateAsync(cancellationToken);

    // SQLite is a file on one machine; several server processes on it would each cache the audit head and fight for
    // the write lock. It has none of the optional abilities.
    public bool Supports(StoreCapability capability) => false;

    public void Dispose()
    {
        _writer.Dispose();
        // Pooled readers keep the file open; let it go so the file can be moved or deleted once we are done.
        using var connection = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Runs a read on a connection of its own and reads every row with <paramref name="read"/>.</summary>
    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Bind(name, value);
        }

        var rows = new List<T>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private string NewId(string prefix) => $"{prefix}_{Guid.CreateVersion7(_time.GetUtcNow()):N}";

    private static Actor ActorOf(Decision decision) => decision.DecidedBy ?? Actor.System;
}
