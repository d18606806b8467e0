using System.Globalization;
using Handoff.Core.Audit;
using Handoff.Storage;

namespace Handoff.Server.Audit;

/// <summary>
/// The audit log's Merkle tree as a verifier computes it from the entries it walks, never from the stored nodes: fed
/// every verified entry in order (<see cref="Add"/>), it keeps one hash per 256 entries and the entries past the last
/// whole 256, which is all a root needs (<see cref="RootAsync"/>). Checkpoints sign the root it gives, so a stored
/// node someone forged can neither get into a signed root nor make a false proof pass against one; and
/// <see cref="CompareAsync"/> names every stored node that differs from it.
/// </summary>
internal sealed class AuditTreeCheck
{
    // How many mismatches of one level are named; past that, the count.
    private const int Named = 5;

    private readonly List<byte[]> _lowest = [];
    private readonly List<byte[]> _leaves = new(AuditTree.TileWidth);

    /// <summary>How many entries it has been fed.</summary>
    public long Size => ((long)_lowest.Count * AuditTree.TileWidth) + _leaves.Count;

    /// <summary>The next entry of the verified chain (from entry 1 on, none left out).</summary>
    public void Add(AuditEntry entry)
    {
        _leaves.Add(AuditTree.LeafHash(entry.Hash));
        if (_leaves.Count == AuditTree.TileWidth)
        {
            _lowest.Add(AuditTree.PerfectRoot(_leaves));
            _leaves.Clear();
        }
    }

    /// <summary>The root of the tree of every entry fed so far, lowercase hex.</summary>
    public async Task<string> RootAsync() => Convert.ToHexStringLower(await AuditTree.RootAsync(Size, (level, index) => ValueTask.FromResult(Node(level, index)))
        .ConfigureAwait(false));

    /// <summary>
    /// A check that starts at entry <paramref name="size"/> + 1 rather than at the first: the stored level-8 nodes and
    /// the entries past them, taken only if they give <paramref name="root"/>, the root a trusted checkpoint signed at
    /// that size (then each is the genuine one, or SHA-256 has a collision). Null when they do not (nodes missing,
    /// forged, or not stored yet): start from the first entry instead.
    /// </summary>
    public static async Task<AuditTreeCheck?> ResumeAsync(IHandoffStore store, long size, string root, CancellationToken cancellationToken)
    {
        var check = new AuditTreeCheck();
        var whole = size / AuditTree.TileWidth;
        while (check._lowest.Count < whole)
        {
            var nodes = await store.ReadAuditTreeAsync(AuditTree.StoredLevelStep, check._lowest.Count, (int)Math.Min(10_000, whole - check._lowest.Count), cancellationToken)
                .ConfigureAwait(false);
            foreach (var node in nodes)
            {
                if (node.Index != check._lowest.Count || node.Hash.Length != 64 || !IsHex(node.Hash))
                {
                    return null;
                }

                check._lowest.Add(Convert.FromHexString(node.Hash));
            }

            if (nodes.Count == 0)
            {
                return null;
            }
        }

        var rest = (int)(size - (whole * AuditTree.TileWidth));
        var entries = rest == 0 ? [] : await store.ReadAuditAsync(whole * AuditTree.TileWidth, rest, cancellationToken).ConfigureAwait(false);
        if (entries.Count != rest)
        {
            return null;
        }

        foreach (var entry in entries)
        {
            if (entry.Sequence != check.Size + 1)
            {
                return null;
            }

            check.Add(entry);
        }

        return await check.RootAsync().ConfigureAwait(false) == root ? check : null;
    }

    /// <summary>
    /// Every stored node that differs from what the entries fed so far give, and every stored node over entries the
    /// sealed log does not hold. Nodes over entries sealed since the walk are not compared.
    /// </summary>
    public async Task<IReadOnlyList<string>> CompareAsync(IHandoffStore store, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var expected = _lowest;
        for (var level = AuditTree.StoredLevelStep; level < 64; level += AuditTree.StoredLevelStep)
        {
            var wrong = 0;
            var span = 1L << level;
            for (long from = 0; from < expected.Count; from += 10_000)
            {
                var count = (int)Math.Min(10_000, expected.Count - from);
                foreach (var node in await store.ReadAuditTreeAsync(level, from, count, cancellationToken).ConfigureAwait(false))
                {
                    var computed = Convert.ToHexStringLower(expected[(int)node.Index]);
                    if (node.Hash != computed && ++wrong <= Named)
                    {
                        problems.Add(string.Create(CultureInfo.InvariantCulture,
                            $"audit tree node ({level}, {node.Index}) over entries {(node.Index * span) + 1}..{(node.Index + 1) * span} does not match them: stored {node.Hash}, the entries give {computed}"));
                    }
                }
            }

            // Past the walk: a node is fine if the log has its entries now (sealed since); one over entries that do
            // not exist was put there.
            var beyond = await store.ReadAuditTreeAsync(level, expected.Count, 10_000, cancellationToken).ConfigureAwait(false);
            foreach (var node in beyond)
            {
                var last = (node.Index + 1) * span;
                var there = await store.ReadAuditAsync(last - 1, 1, cancellationToken).ConfigureAwait(false);
                if ((there.Count == 0 || there[0].Sequence != last) && ++wrong <= Named)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"audit tree node ({level}, {node.Index}) stands for entries {(node.Index * span) + 1}..{last}, which the sealed log does not hold"));
                }
            }

            if (wrong > Named)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"… and {wrong - Named} more nodes of level {level}"));
            }

            if (expected.Count == 0 && beyond.Count == 0)
            {
                break;
            }

            var above = new List<byte[]>(expected.Count / AuditTree.TileWidth);
            for (var i = 0; (i + 1) * AuditTree.TileWidth <= expected.Count; i++)
            {
                above.Add(AuditTree.PerfectRoot(expected.GetRange(i * AuditTree.TileWidth, AuditTree.TileWidth)));
            }

            expected = above;
        }

        return problems;
    }

    // Node (level, index) of the tree fed so far: from the level-8 hashes above level 8, from the last entries below.
    private byte[] Node(int level, long index)
    {
        var step = AuditTree.StoredLevelStep;
        if (level >= step)
        {
            var width = 1 << (level - step);
            return AuditTree.PerfectRoot(_lowest.GetRange((int)(index * width), width));
        }

        // Below level 8 a root asks only for nodes among the entries past the last whole 256.
        var start = (index << level) - ((long)_lowest.Count * AuditTree.TileWidth);
        return AuditTree.PerfectRoot(_leaves.GetRange((int)start, 1 << level));
    }

    private static bool IsHex(string text) => text.All(Uri.IsHexDigit);
}
