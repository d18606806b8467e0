using System.Xml.Linq;
using Handoff.Storage.Postgres;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Handoff.Server.Hosting;

/// <summary>
/// The data-protection key ring in the PostgreSQL database (table <c>data_protection_keys</c>), so every node seals
/// and opens sign-in cookies and antiforgery tokens with the same keys: a person signed in through one node is signed
/// in on all, and no load balancer needs sticky sessions.
/// </summary>
internal sealed class PostgresKeyRing(PostgresHandoffStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = store.DataSource.OpenConnection();
        using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY name", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = store.DataSource.OpenConnection();
        using var command = new NpgsqlCommand("INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING", connection);
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Makes sure the ring has a key before the node serves, under a lock, so that nodes starting at the same moment
    /// do not each make a first key of their own (a cookie sealed with one node's key could not be opened elsewhere
    /// until the others re-read the ring).
    /// </summary>
    public static async Task EnsureKeyAsync(PostgresHandoffStore store, IKeyManager keys, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // One node at a time decides whether the ring needs its first key, so that nodes starting together share one.
        await AdvisoryLock.TakeAsync(transaction, AdvisoryLock.FirstSigningKey, cancellationToken).ConfigureAwait(false);

        // Only a ring with no usable key at all gets one here; rolling keys over before they expire is the framework's
        // own work, and a key made here beside a successor it already made would split the nodes.
        var now = time.GetUtcNow();
        if (!keys.GetAllKeys().Any(key => !key.IsRevoked && key.ExpirationDate > now))
        {
            keys.CreateNewKey(now, now.AddDays(90));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
