using System.Diagnostics.Metrics;
using Handoff.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Tests.Sqlite;

/// <summary>A database file in its own temporary directory; disposing closes every store opened on it and deletes it all.</summary>
internal sealed class TemporaryDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("handoff-store-").FullName;
    private readonly List<SqliteHandoffStore> _stores = [];

    public string Path => System.IO.Path.Combine(_directory, "data", "handoff.db");

    public SqliteHandoffStore Open(TimeProvider time, IMeterFactory? meters = null)
    {
        var store = new SqliteHandoffStore(Path, time, meters);
        _stores.Add(store);
        return store;
    }

    /// <summary>A plain connection to the file, for looking underneath the store.</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(SqliteHandoffStore.BuildConnectionString(Path, pooling: false));
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
