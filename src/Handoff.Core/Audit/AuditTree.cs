using System.Numerics;
using System.Security.Cryptography;

namespace Handoff.Core.Audit;

/// <summary>
/// The Merkle tree over the sealed audit log, as RFC 9162 (Certificate Transparency 2.0, §2.1) defines it: leaf
/// <c>i</c> is the entry at sequence <c>i + 1</c>, whose leaf hash is SHA-256(0x00 ‖ the entry's 32-byte hash); an
/// inner node is SHA-256(0x01 ‖ left ‖ right); a tree of <c>n</c> leaves splits at the largest power of two below
/// <c>n</c>. Its root at size <c>n</c> commits to the first <c>n</c> entries as the chain's head does, and an
/// inclusion proof shows one entry in it with about log2(n) hashes, read without the rest of the log.
/// </summary>
/// <remarks>
/// Nodes are named by level and index: node (L, k) is the perfect subtree over leaves <c>k·2^L</c> to
/// <c>(k+1)·2^L − 1</c>. Every hash a root or a proof needs is made of such nodes, so a store need keep only some of
/// them: Handoff keeps the levels that are multiples of <see cref="StoredLevelStep"/> (one node per 256 leaves, per
/// 65,536, …), in the manner of transparency-log tiles, and computes the levels between from the level below.
/// </remarks>
public static class AuditTree
{
    /// <summary>The levels a store keeps are the multiples of this (8: a stored node stands for 256 of the level below).</summary>
    public const int StoredLevelStep = 8;

    /// <summary>How many nodes of one stored level make one node of the next: 2^<see cref="StoredLevelStep"/>.</summary>
    public const int TileWidth = 1 << StoredLevelStep;

    /// <summary>The root of the empty tree: SHA-256 of nothing.</summary>
    public static string EmptyRoot { get; } = Convert.ToHexStringLower(SHA256.HashData([]));

    /// <summary>The leaf hash of an entry whose (hex) hash is <paramref name="entryHash"/>.</summary>
    /// <exception cref="FormatException">The entry's hash is not 64 hex digits.</exception>
    public static byte[] LeafHash(string entryHash)
    {
        ArgumentNullException.ThrowIfNull(entryHash);
        Span<byte> buffer = stackalloc byte[1 + SHA256.HashSizeInBytes];
        if (entryHash.Length != 2 * SHA256.HashSizeInBytes
            || Convert.FromHexString(entryHash, buffer[1..], out _, out var written) != System.Buffers.OperationStatus.Done
            || written != SHA256.HashSizeInBytes)
        {
            throw new FormatException($"An audit entry's hash is 64 hex digits, not '{entryHash}'.");
        }

        buffer[0] = 0;
        return SHA256.HashData(buffer);
    }

    /// <summary>The hash of an inner node over <paramref name="left"/> and <paramref name="right"/>.</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * SHA256.HashSizeInBytes];
        buffer[0] = 1;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + SHA256.HashSizeInBytes)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The root of the perfect subtree over <paramref name="nodes"/> (a power of two of them, side by side on one level).</summary>
    public static byte[] PerfectRoot(IReadOnlyList<byte[]> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0 || !BitOperations.IsPow2(nodes.Count))
        {
            throw new ArgumentException($"A perfect subtree has a power of two of nodes, not {nodes.Count}.", nameof(nodes));
        }

        var level = nodes.ToArray();
        for (var count = level.Length; count > 1; count /= 2)
        {
            for (var i = 0; i < count / 2; i++)
            {
                level[i] = NodeHash(level[2 * i], level[(2 * i) + 1]);
            }
        }

        return level[0];
    }

    /// <summary>
    /// The root of the tree of the first <paramref name="size"/> leaves, from its perfect nodes as
    /// <paramref name="node"/> gives them (it is asked only for nodes wholly inside the tree).
    /// </summary>
    public static async ValueTask<byte[]> RootAsync(long size, Func<int, long, ValueTask<byte[]>> node)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentNullException.ThrowIfNull(node);
        return size == 0 ? Convert.FromHexString(EmptyRoot) : await SubtreeAsync(0, size, node).ConfigureAwait(false);
    }

    /// <summary>
    /// The inclusion proof of leaf <paramref name="index"/> in the tree of the first <paramref name="size"/> leaves:
    /// RFC 9162's audit path, the sibling nearest the leaf first.
    /// </summary>
    public static async ValueTask<IReadOnlyList<byte[]>> InclusionProofAsync(long index, long size, Func<int, long, ValueTask<byte[]>> node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Leaf {index} is not in a tree of {size} leaves.");
        }

        // Walks down from the root, noting the subtree beside each step; the path lists them bottom up.
        var path = new List<byte[]>();
        long start = 0, end = size;
        while (end - start > 1)
        {
            var split = LargestPowerOfTwoBelow(end - start);
            if (index < start + split)
            {
                path.Add(await SubtreeAsync(start + split, end, node).ConfigureAwait(false));
                end = start + split;
            }
            else
            {
                path.Add(await SubtreeAsync(start, start + split, node).ConfigureAwait(false));
                start += split;
            }
        }

        path.Reverse();
        return path;
    }

    /// <summary>
    /// Whether <paramref name="path"/> proves that <paramref name="leafHash"/> is leaf <paramref name="index"/> of the
    /// tree of <paramref name="size"/> leaves whose root is <paramref name="root"/> (RFC 9162, §2.1.3.2).
    /// </summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (index < 0 || index >= size)
        {
            return false;
        }

        var fn = index;
        var sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (p is not { Length: SHA256.HashSizeInBytes } || sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>
    /// The consistency proof between the trees of the first <paramref name="first"/> and <paramref name="second"/>
    /// leaves (RFC 9162 §2.1.4.1): the hashes that show the larger tree holds the smaller unchanged, as its first
    /// leaves. Empty when the sizes are equal or the first tree is empty.
    /// </summary>
    public static async ValueTask<IReadOnlyList<byte[]>> ConsistencyProofAsync(long first, long second, Func<int, long, ValueTask<byte[]>> node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (first < 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"A tree of {first} leaves is not a prefix of one of {second}.");
        }

        var proof = new List<byte[]>();
        if (first == 0 || first == second)
        {
            return proof;
        }

        // SUBPROOF(m, D[start:end], b), walked down from the root, noting each step's other side; listed bottom up.
        long start = 0, end = second, m = first;
        var whole = true;
        while (true)
        {
            if (m == end - start)
            {
                if (!whole)
                {
                    proof.Add(await SubtreeAsync(start, end, node).ConfigureAwait(false));
                }

                break;
            }

            var split = LargestPowerOfTwoBelow(end - start);
            if (m <= split)
            {
                proof.Add(await SubtreeAsync(start + split, end, node).ConfigureAwait(false));
                end = start + split;
            }
            else
            {
                proof.Add(await SubtreeAsync(start, start + split, node).ConfigureAwait(false));
                m -= split;
                start += split;
                whole = false;
            }
        }

        proof.Reverse();
        return proof;
    }

    /// <summary>
    /// Whether <paramref name="proof"/> shows that the tree of <paramref name="first"/> leaves with root
    /// <paramref name="firstRoot"/> is the first part of the tree of <paramref name="second"/> leaves with root
    /// <paramref name="secondRoot"/> (RFC 9162 §2.1.4.2).
    /// </summary>
    public static bool VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (first < 0 || first > second || proof.Any(static p => p is not { Length: SHA256.HashSizeInBytes }))
        {
            return false;
        }

        if (first == second)
        {
            return proof.Count == 0 && firstRoot.SequenceEqual(secondRoot);
        }

        if (first == 0)
        {
            // Every tree extends the empty one, whose root is SHA-256 of nothing.
            return proof.Count == 0 && firstRoot.SequenceEqual(Convert.FromHexString(EmptyRoot));
        }

        if (proof.Count == 0)
        {
            return false;
        }

        var path = BitOperations.IsPow2((ulong)first) ? [firstRoot.ToArray(), .. proof] : proof.ToList();
        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }

    // The hash of leaves [start, end): one perfect node when the range is one, else split as RFC 9162 splits. Every
    // range met on the way down from a root starts at a multiple of its split, so the left part is always a node.
    private static async ValueTask<byte[]> SubtreeAsync(long start, long end, Func<int, long, ValueTask<byte[]>> node)
    {
        var count = end - start;
        if (BitOperations.IsPow2(count) && start % count == 0)
        {
            var level = BitOperations.Log2((ulong)count);
            return await node(level, start >> level).ConfigureAwait(false);
        }

        var split = LargestPowerOfTwoBelow(count);
        var left = await SubtreeAsync(start, start + split, node).ConfigureAwait(false);
        var right = await SubtreeAsync(start + split, end, node).ConfigureAwait(false);
        return NodeHash(left, right);
    }

    // The largest power of two strictly below n (n ≥ 2).
    private static long LargestPowerOfTwoBelow(long n) => 1L << BitOperations.Log2((ulong)(n - 1));
}
