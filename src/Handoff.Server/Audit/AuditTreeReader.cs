using System.Globalization;
using Handoff.Core.Audit;
using Handoff.Storage;

namespace Handoff.Server.Audit;

/// <summary>
/// The sealed audit log's Merkle tree (<see cref="AuditTree"/>) as a store holds it: grows the stored nodes
/// (<see cref="GrowAsync"/>), and gives any node, root or inclusion proof from the stored nodes and, where they do not
/// reach yet, from the entries themselves. One reader caches what it read: use one per task, not for ever.
/// </summary>
public sealed class AuditTreeReader(IHandoffStore store)
{
    // How many entries one read of the log asks for while growing: 16 tiles of level 8.
    private const int GrowPage = 16 * AuditTree.TileWidth;

    private readonly Dictionary<(int Level, long Tile), byte[]?[]> _tiles = [];

    /// <summary>
    /// Stores every node of the stored levels (<see cref="AuditTree.StoredLevelStep"/>) that the sealed log completes
    /// and the store lacks; returns how many it added. Idempotent: any process may run it at any time.
    /// </summary>
    /// <exception cref="InvalidOperationException">The sealed log has a gap or a malformed hash where a node would be built.</exception>
    public async Task<int> GrowAsync(CancellationToken cancellationToken = default)
    {
        var sizes = await store.GetAuditTreeSizesAsync(cancellationToken).ConfigureAwait(false);
        var step = AuditTree.StoredLevelStep;
        var width = AuditTree.TileWidth;
        var added = 0;

        // The lowest stored level, from the entries: look first whether the next node's last entry is there at all.
        var have = sizes.GetValueOrDefault(step);
        if (have > 0 && !await HasEntryAsync(have * width, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The audit tree has nodes past the sealed log: level {step} reaches entry {have * width}, which the log does not hold. Run handoff audit verify."));
        }

        while (await HasEntryAsync((have + 1) * width, cancellationToken).ConfigureAwait(false))
        {
            var entries = await store.ReadAuditAsync(have * width, GrowPage, cancellationToken).ConfigureAwait(false);
            var nodes = new List<AuditTreeNode>();
            for (var t = 0; (t + 1) * width <= entries.Count; t++)
            {
                var index = have + t;
                var leaves = new byte[width][];
                for (var i = 0; i < width; i++)
                {
                    leaves[i] = Leaf(entries[(t * width) + i], (index * width) + i + 1);
                }

                nodes.Add(new AuditTreeNode(step, index, Convert.ToHexStringLower(AuditTree.PerfectRoot(leaves))));
            }

            if (nodes.Count == 0)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The sealed audit log has a gap after entry {have * width}. Run handoff audit verify."));
            }

            await store.AddAuditTreeAsync(nodes, cancellationToken).ConfigureAwait(false);
            have += nodes.Count;
            added += nodes.Count;
        }

        // Each level above from the stored level below, while the level below has a whole tile.
        for (var level = 2 * step; have >= width; level += step)
        {
            var below = have;
            have = sizes.GetValueOrDefault(level);
            var nodes = new List<AuditTreeNode>();
            for (var index = have; (index + 1) * width <= below; index++)
            {
                var children = await store.ReadAuditTreeAsync(level - step, index * width, width, cancellationToken).ConfigureAwait(false);
                if (children.Count != width || children[0].Index != index * width || children[^1].Index != ((index + 1) * width) - 1)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"The audit tree lacks nodes of level {level - step} between {index * width} and {((index + 1) * width) - 1}."));
                }

                nodes.Add(new AuditTreeNode(level, index, Convert.ToHexStringLower(AuditTree.PerfectRoot([.. children.Select(Hash)]))));
            }

            await store.AddAuditTreeAsync(nodes, cancellationToken).ConfigureAwait(false);
            added += nodes.Count;
            have += nodes.Count;
        }

        return added;
    }

    /// <summary>How many entries the sealed log holds now.</summary>
    public async Task<long> SealedSizeAsync(CancellationToken cancellationToken = default)
    {
        // Past what the stored nodes cover, the rest is read: less than one node's worth when they keep up. Nodes that
        // reach past the log (put there by hand) are no guide: then the whole log is counted.
        var sizes = await store.GetAuditTreeSizesAsync(cancellationToken).ConfigureAwait(false);
        var size = sizes.GetValueOrDefault(AuditTree.StoredLevelStep) * AuditTree.TileWidth;
        if (size > 0 && !await HasEntryAsync(size, cancellationToken).ConfigureAwait(false))
        {
            size = 0;
        }

        while (true)
        {
            var page = await store.ReadAuditAsync(size, 10_000, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                return size;
            }

            size = page[^1].Sequence;
        }
    }

    /// <summary>The root of the tree of the first <paramref name="size"/> sealed entries, lowercase hex.</summary>
    public async Task<string> RootAsync(long size, CancellationToken cancellationToken = default) =>
        Convert.ToHexStringLower(await AuditTree.RootAsync(size, (level, index) => NodeAsync(level, index, cancellationToken)).ConfigureAwait(false));

    /// <summary>
    /// The proof of one case's sealed entries in the tree of the first <paramref name="treeSize"/> entries (null: the
    /// whole sealed log as it is now); null when the workspace has no such case in its log.
    /// </summary>
    public async Task<AuditProof?> ProveAsync(string workspaceId, string caseId, long? treeSize = null, CancellationToken cancellationToken = default)
    {
        var history = await store.GetCaseHistoryAsync(workspaceId, caseId, cancellationToken).ConfigureAwait(false);
        if (history.Count == 0)
        {
            return null;
        }

        var size = treeSize ?? await SealedSizeAsync(cancellationToken).ConfigureAwait(false);
        var root = await RootAsync(size, cancellationToken).ConfigureAwait(false);
        var proven = new List<ProvenAuditEntry>();
        foreach (var entry in history.Where(e => e.IsSealed && e.Sequence <= size).OrderBy(static e => e.Sequence))
        {
            var path = await AuditTree.InclusionProofAsync(entry.Sequence - 1, size, (level, index) => NodeAsync(level, index, cancellationToken))
                .ConfigureAwait(false);
            proven.Add(new ProvenAuditEntry { Entry = entry, Path = [.. path.Select(Convert.ToHexStringLower)] });
        }

        return new AuditProof
        {
            Format = AuditProof.CurrentFormat,
            WorkspaceId = workspaceId,
            CaseId = caseId,
            TreeSize = size,
            RootHash = root,
            Entries = proven,
            EntriesAfter = history.Count - proven.Count,
        };
    }

    /// <summary>
    /// The consistency proof between the trees of the first <paramref name="first"/> and <paramref name="second"/>
    /// sealed entries, with both roots.
    /// </summary>
    public async Task<AuditConsistencyProof> ConsistencyAsync(long first, long second, CancellationToken cancellationToken = default)
    {
        var path = await AuditTree.ConsistencyProofAsync(first, second, (level, index) => NodeAsync(level, index, cancellationToken)).ConfigureAwait(false);
        return new AuditConsistencyProof
        {
            Format = AuditConsistencyProof.CurrentFormat,
            FirstSize = first,
            FirstRoot = await RootAsync(first, cancellationToken).ConfigureAwait(false),
            SecondSize = second,
            SecondRoot = await RootAsync(second, cancellationToken).ConfigureAwait(false),
            Path = [.. path.Select(Convert.ToHexStringLower)],
        };
    }

    /// <summary>
    /// Node (level, index): read where the store keeps it, otherwise computed from the stored (or leaf) level below.
    /// The caller asks only for nodes wholly inside the sealed log.
    /// </summary>
    public async ValueTask<byte[]> NodeAsync(int level, long index, CancellationToken cancellationToken = default)
    {
        var step = AuditTree.StoredLevelStep;
        if (level % step == 0)
        {
            var tile = await TileAsync(level, index / AuditTree.TileWidth, cancellationToken).ConfigureAwait(false);
            if (tile[index % AuditTree.TileWidth] is { } stored)
            {
                return stored;
            }

            if (level == 0)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The sealed audit log has no entry {index + 1}."));
            }
        }

        var lower = level % step == 0 ? level - step : level - (level % step);
        var span = 1L << (level - lower);
        var children = new byte[span][];
        for (long i = 0; i < span; i++)
        {
            children[i] = await NodeAsync(lower, (index * span) + i, cancellationToken).ConfigureAwait(false);
        }

        return AuditTree.PerfectRoot(children);
    }

    // One tile: 256 side by side nodes of a stored level (level 0: the entries' leaf hashes), null where none is stored.
    private async ValueTask<byte[]?[]> TileAsync(int level, long tile, CancellationToken cancellationToken)
    {
        if (_tiles.TryGetValue((level, tile), out var cached))
        {
            return cached;
        }

        var width = AuditTree.TileWidth;
        var hashes = new byte[]?[width];
        if (level == 0)
        {
            var first = tile * width;
            foreach (var entry in await store.ReadAuditAsync(first, width, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Sequence > first + width)
                {
                    // Fewer than the tile's entries before it: a gap, which the leaf below names.
                    Leaf(entry, first + Array.FindIndex(hashes, static h => h is null) + 1);
                }

                hashes[entry.Sequence - 1 - first] = Leaf(entry, entry.Sequence);
            }
        }
        else
        {
            foreach (var node in await store.ReadAuditTreeAsync(level, tile * width, width, cancellationToken).ConfigureAwait(false))
            {
                hashes[node.Index - (tile * width)] = Hash(node);
            }
        }

        _tiles[(level, tile)] = hashes;
        return hashes;
    }

    // Whether the sealed log holds entry `sequence`.
    private async Task<bool> HasEntryAsync(long sequence, CancellationToken cancellationToken)
    {
        var found = await store.ReadAuditAsync(sequence - 1, 1, cancellationToken).ConfigureAwait(false);
        return found.Count == 1 && found[0].Sequence == sequence;
    }

    private static byte[] Leaf(AuditEntry entry, long expectedSequence)
    {
        if (entry.Sequence != expectedSequence)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The sealed audit log has entry {entry.Sequence} where entry {expectedSequence} should be; run handoff audit verify."));
        }

        try
        {
            return AuditTree.LeafHash(entry.Hash);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"Audit entry {entry.Sequence}: {e.Message} Run handoff audit verify.", e);
        }
    }

    private static byte[] Hash(AuditTreeNode node)
    {
        try
        {
            return Convert.FromHexString(node.Hash);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The audit tree's node ({node.Level}, {node.Index}) is not hex; run handoff audit verify."), e);
        }
    }
}
