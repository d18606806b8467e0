using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Handoff.Storage.Relational;

/// <summary>
/// What a write may read and change, so that writes of different things need not take turns. Most writes are
/// <see cref="Whole"/>: they may read anything, and run with no other write beside them. The hot writes (a submission,
/// a claim, a decision, "next case") name the few things they depend on instead — a case, a person's load, an
/// idempotency key — and so do the frequent background writes that touch only their own rows (the roll-ups, the
/// outbox dispatcher's position, deliveries being leased and completed, stored embeddings, a person's last-seen
/// time); each runs beside any write that names none of the same. Where writes already run one at a time
/// (SQLite's one writer), a scope changes nothing; on PostgreSQL each name is a transaction-level advisory lock (see
/// <see cref="Postgres.PostgresWriter"/>).
/// </summary>
/// <remarks>
/// A scoped write must read, of what other scoped writes change, only what its names cover: a case's row (its
/// <see cref="Case"/> name), the open cases a person holds (their <see cref="Person"/> name). What only whole writes
/// change (teams, settings, accounts, offers) it may read freely, since no whole write runs beside it.
/// </remarks>
internal sealed class WriteScope
{
    private WriteScope(long[]? keys) => Keys = keys;

    /// <summary>Everything: the write runs alone.</summary>
    public static WriteScope Whole { get; } = new(null);

    /// <summary>The names' lock keys, or null for <see cref="Whole"/>.</summary>
    public long[]? Keys { get; }

    public bool IsWhole => Keys is null;

    /// <summary>A scope of the given names (each a key from <see cref="Case"/>, <see cref="Person"/> or <see cref="Submission"/>).</summary>
    public static WriteScope Of(params long[] keys) => new(keys);

    /// <summary>One case's row, and its rows elsewhere (its ledger entry, its QA check).</summary>
    public static long Case(string workspaceId, string caseId) => Key("case", workspaceId, caseId);

    /// <summary>The load a person holds: whoever may add to it names them, so that two additions cannot both fit.</summary>
    public static long Person(string personId) => Key("person", personId, "");

    /// <summary>A submission's idempotency key, so that two submissions with one key cannot wait on each other's insert.</summary>
    public static long Submission(string workspaceId, string idempotencyKey) => Key("submission", workspaceId, idempotencyKey);

    /// <summary>The overview's daily roll-ups and their position (see <see cref="RelationalHandoffStore.RollUpClosedCasesAsync"/>).</summary>
    public static long RollUps { get; } = Key("roll-ups", "", "");

    /// <summary>The outbox dispatcher's position in the audit log (see <see cref="RelationalHandoffStore.EnqueueAsync"/>).</summary>
    public static long Outbox { get; } = Key("outbox", "", "");

    /// <summary>The outbox's deliveries being leased and completed (see <see cref="RelationalHandoffStore.LeaseDeliveriesAsync"/>).</summary>
    public static long Deliveries { get; } = Key("deliveries", "", "");

    /// <summary>The decisions' stored embeddings (see <see cref="RelationalHandoffStore.SaveDecisionEmbeddingsAsync"/>).</summary>
    public static long Embeddings { get; } = Key("embeddings", "", "");

    /// <summary>The audit log's stored Merkle tree nodes (see <see cref="RelationalHandoffStore.AddAuditTreeAsync"/>).</summary>
    public static long AuditTree { get; } = Key("audit-tree", "", "");

    /// <summary>
    /// The union of <paramref name="scopes"/>, as one batch of writes takes it: whole when any is, otherwise every key
    /// once, in ascending order — every batch takes its keys in the same order, so two batches never wait on each other.
    /// </summary>
    public static WriteScope Union(IEnumerable<WriteScope> scopes)
    {
        var keys = new SortedSet<long>();
        foreach (var scope in scopes)
        {
            if (scope.Keys is null)
            {
                return Whole;
            }

            keys.UnionWith(scope.Keys);
        }

        return new WriteScope([.. keys]);
    }

    // The same on every node and in every process (string.GetHashCode is not), whatever the machine's byte order: the
    // first eight bytes of a SHA-256, little-endian. Two names that share a key only take turns.
    private static long Key(string kind, string first, string second)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{first}\n{second}"), hash);
        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }
}
