using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace Handoff.Storage.Postgres;

/// <summary>Reads where the PostgreSQL database is, as a <c>postgres://</c> URL or an Npgsql connection string.</summary>
public static class PostgresConnection
{
    /// <summary>
    /// The Npgsql connection string for <paramref name="store"/>: <c>postgres://user:password@host:port/database?key=value</c>
    /// (query keys are Npgsql's, e.g. <c>Maximum Pool Size=50</c> as <c>maximum%20pool%20size=50</c>), or an Npgsql
    /// connection string as it is.
    /// </summary>
    /// <exception cref="FormatException">The URL or connection string cannot be read.</exception>
    public static string ToConnectionString(string store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        if (!store.Contains("://", StringComparison.Ordinal))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(store).ConnectionString;
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"Not an Npgsql connection string: {e.Message}", e);
            }
        }

        if (!Uri.TryCreate(store, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql") || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("Expected postgres://user[:password]@host[:port]/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : null,
        };
        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
            if (separator >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "true" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[key] = value;
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"Unknown connection option '{key}': {e.Message}", e);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// A data source for <paramref name="store"/> (see <see cref="ToConnectionString"/>), named for Handoff, with
    /// keepalives (every 15 s of silence, unless the store sets <c>Keepalive</c>): a connection whose peer vanished without closing it (a partition,
    /// a NAT that forgot the flow) is found dead within seconds, not after the kernel's two hours — the listening
    /// connection above all, which otherwise waits for signals forever. Statements are prepared automatically (up to
    /// 64 per connection, unless the store sets <c>Max Auto Prepare</c>).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string store)
    {
        var connectionString = ToConnectionString(store);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.ApplicationName ??= "handoff";
        if (builder.KeepAlive == 0)
        {
            builder.KeepAlive = 15;
        }

        builder.TcpKeepAlive = true;
        if (!new DbConnectionStringBuilder { ConnectionString = connectionString }.ContainsKey("Max Auto Prepare"))
        {
            // The store's statements are a fixed set of texts, run again and again: prepared once per connection,
            // PostgreSQL parses and plans each once instead of on every call.
            builder.MaxAutoPrepare = 64;
        }

        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>
    /// Whether the exception says the connection or the server went away (the work never reached the database, or
    /// was rolled back with the session), rather than that the work itself was refused.
    /// </summary>
    public static bool IsConnectionFailure(Exception exception) => exception switch
    {
        // Class 08 is connection exceptions; 57P01-57P03 are the server shutting down or not yet accepting.
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or SocketException or TimeoutException,
        IOException or SocketException => true,
        _ => false,
    };
}
