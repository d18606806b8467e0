using Npgsql;

namespace Handoff.Storage.Postgres;

/// <summary>
/// The transaction-level advisory locks Handoff's nodes take turns on, one key per purpose, all in one place so that
/// no two purposes share a key. A lock is held until the transaction it was taken in ends.
/// </summary>
public static class AdvisoryLock
{
    // "Handoff" in ASCII, as a number; each purpose adds its own offset.
    private const long Base = 0x48616e646f6666;

    /// <summary>
    /// Every write batch of every node (see <see cref="PostgresWriter"/>): taken alone by a write of the whole store,
    /// shared by scoped writes, which then take their own keys (<see cref="TakeScoped"/>).
    /// </summary>
    public const long Writes = Base;

    /// <summary>Migrations: one node at a time applies the schema.</summary>
    public const long Migrations = Base + 1;

    /// <summary>The data-protection key ring's first key: nodes starting together share one.</summary>
    public const long FirstSigningKey = Base + 2;

    /// <summary>
    /// The audit log's sealer: one node seals a schema's log at a time (see <see cref="PostgresHandoffStore.SealAuditAsync"/>).
    /// Taken with the two-key form, this and the schema's hash, so that the logs of two schemas in one database are
    /// sealed independently; that form's locks never collide with the one-key form's above.
    /// </summary>
    public const int Sealer = 0x48616e64;

    /// <summary>Takes the lock <paramref name="key"/> in <paramref name="transaction"/>, waiting for whoever holds it.</summary>
    public static void Take(NpgsqlTransaction transaction, long key)
    {
        using var command = Command(transaction, key);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Takes <see cref="Writes"/> shared and then each of <paramref name="keys"/> (ascending, as
    /// <see cref="Relational.WriteScope.Union"/> gives them) in <paramref name="transaction"/>, in one round trip. Every
    /// transaction that waits on these locks takes them in the same order, so none waits on another that waits on it.
    /// </summary>
    public static void TakeScoped(NpgsqlTransaction transaction, long[] keys)
    {
        // unnest yields the array's elements in order, and the locks are taken row by row as it does.
        using var command = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock_shared(@writes); SELECT pg_advisory_xact_lock(k) FROM unnest(@keys) AS k",
            transaction.Connection, transaction);
        command.Parameters.AddWithValue("writes", Writes);
        command.Parameters.AddWithValue("keys", keys);
        command.ExecuteNonQuery();
    }

    /// <inheritdoc cref="Take"/>
    public static async Task TakeAsync(NpgsqlTransaction transaction, long key, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand Command(NpgsqlTransaction transaction, long key)
    {
        var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", transaction.Connection, transaction);
        command.Parameters.AddWithValue("key", key);
        return command;
    }
}
