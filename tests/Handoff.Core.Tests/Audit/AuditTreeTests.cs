using System.Security.Cryptography;
using Handoff.Core.Audit;

namespace Handoff.Core.Tests.Audit;

public sealed class AuditTreeTests
{
    // RFC 6962's reference leaves and the roots of their first 1..8 (Certificate Transparency's test data).
    private static readonly byte[][] ReferenceLeaves =
    [
        .. new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
            .Select(static data => SHA256.HashData([0, .. Convert.FromHexString(data)])),
    ];

    private static readonly string[] ReferenceRoots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public async Task Root_MatchesRfc6962sReferenceRoots_ForEverySizeUpToEight()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", AuditTree.EmptyRoot);
        Assert.Equal(AuditTree.EmptyRoot, Hex(await AuditTree.RootAsync(0, Nodes(ReferenceLeaves))));
        for (var size = 1; size <= 8; size++)
        {
            Assert.Equal(ReferenceRoots[size - 1], Hex(await AuditTree.RootAsync(size, Nodes(ReferenceLeaves))));
        }
    }

    [Fact]
    public async Task InclusionProof_MatchesRfc6962sReferencePaths()
    {
        var first = await AuditTree.InclusionProofAsync(0, 8, Nodes(ReferenceLeaves));
        var sixth = await AuditTree.InclusionProofAsync(5, 8, Nodes(ReferenceLeaves));

        Assert.Equal(
            ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
            first.Select(Hex));
        Assert.Equal(
            ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
            sixth.Select(Hex));
    }

    [Fact]
    public async Task EveryLeafOfEveryTreeUpTo70Leaves_IsProven_AndTheProofMatchesTheDefinition()
    {
        var leaves = Enumerable.Range(0, 70).Select(static i => SHA256.HashData([0, (byte)i, (byte)(i * 7)])).ToArray();
        for (var size = 1; size <= leaves.Length; size++)
        {
            var root = await AuditTree.RootAsync(size, Nodes(leaves));
            Assert.Equal(Hex(Reference.Root(leaves[..size])), Hex(root));
            for (var index = 0; index < size; index++)
            {
                var path = await AuditTree.InclusionProofAsync(index, size, Nodes(leaves));
                Assert.Equal(Reference.Path(index, leaves[..size]).Select(Hex), path.Select(Hex));
                Assert.True(AuditTree.VerifyInclusion(index, size, leaves[index], path, root), $"leaf {index} of {size}");
            }
        }
    }

    [Fact]
    public async Task VerifyInclusion_RefusesAnyChangeToTheLeafThePathTheIndexTheSizeOrTheRoot()
    {
        var leaves = Enumerable.Range(0, 13).Select(static i => SHA256.HashData([0, (byte)i])).ToArray();
        var root = await AuditTree.RootAsync(13, Nodes(leaves));
        var path = await AuditTree.InclusionProofAsync(6, 13, Nodes(leaves));
        Assert.True(AuditTree.VerifyInclusion(6, 13, leaves[6], path, root));

        Assert.False(AuditTree.VerifyInclusion(6, 13, leaves[7], path, root));
        Assert.False(AuditTree.VerifyInclusion(7, 13, leaves[6], path, root));
        // A size whose tree has another shape at that leaf (the root, which a checkpoint signs with its size, binds the rest).
        Assert.False(AuditTree.VerifyInclusion(6, 7, leaves[6], path, root));
        Assert.False(AuditTree.VerifyInclusion(6, 8, leaves[6], path, root));
        Assert.False(AuditTree.VerifyInclusion(6, 13, leaves[6], path, leaves[0]));
        Assert.False(AuditTree.VerifyInclusion(6, 13, leaves[6], [.. path.Take(path.Count - 1)], root));
        Assert.False(AuditTree.VerifyInclusion(6, 13, leaves[6], [.. path, leaves[0]], root));
        Assert.False(AuditTree.VerifyInclusion(6, 13, leaves[6], [path[0][..31], .. path.Skip(1)], root));
        Assert.False(AuditTree.VerifyInclusion(13, 13, leaves[6], path, root));
        Assert.False(AuditTree.VerifyInclusion(-1, 13, leaves[6], path, root));
        var altered = path.Select(static p => p.ToArray()).ToArray();
        altered[1][0] ^= 1;
        Assert.False(AuditTree.VerifyInclusion(6, 13, leaves[6], altered, root));
    }

    [Fact]
    public async Task ConsistencyProof_MatchesRfc6962sReferenceProofs()
    {
        (int First, int Second, string[] Proof)[] reference =
        [
            (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
            (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
            (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        ];
        foreach (var (first, second, expected) in reference)
        {
            var proof = await AuditTree.ConsistencyProofAsync(first, second, Nodes(ReferenceLeaves));
            Assert.Equal(expected, proof.Select(Hex));
            Assert.True(AuditTree.VerifyConsistency(first, second, Convert.FromHexString(ReferenceRoots[first - 1]), Convert.FromHexString(ReferenceRoots[second - 1]), proof));
        }
    }

    [Fact]
    public async Task EveryPairOfSizesUpTo40_IsProvenConsistent_AndTheProofMatchesTheDefinition()
    {
        var leaves = Enumerable.Range(0, 40).Select(static i => SHA256.HashData([0, (byte)i, 3])).ToArray();
        var roots = new byte[leaves.Length + 1][];
        for (var size = 0; size <= leaves.Length; size++)
        {
            roots[size] = await AuditTree.RootAsync(size, Nodes(leaves));
        }

        for (var second = 1; second <= leaves.Length; second++)
        {
            for (var first = 0; first <= second; first++)
            {
                var proof = await AuditTree.ConsistencyProofAsync(first, second, Nodes(leaves));
                var expected = first == 0 || first == second ? [] : Reference.Subproof(first, leaves[..second], true);
                Assert.Equal(expected.Select(Hex), proof.Select(Hex));
                Assert.True(AuditTree.VerifyConsistency(first, second, roots[first], roots[second], proof), $"{first} in {second}");
            }
        }
    }

    [Fact]
    public async Task VerifyConsistency_RefusesAnotherRootSizeOrPath_AndATreeThatIsNotAPrefix()
    {
        var leaves = Enumerable.Range(0, 13).Select(static i => SHA256.HashData([0, (byte)i])).ToArray();
        var old = await AuditTree.RootAsync(6, Nodes(leaves));
        var now = await AuditTree.RootAsync(13, Nodes(leaves));
        var proof = await AuditTree.ConsistencyProofAsync(6, 13, Nodes(leaves));
        Assert.True(AuditTree.VerifyConsistency(6, 13, old, now, proof));

        // The same thirteen leaves but the fourth rewritten: the new tree does not extend the old one.
        var forked = leaves.ToArray();
        forked[3] = SHA256.HashData([0, 99]);
        var forkedRoot = await AuditTree.RootAsync(13, Nodes(forked));
        var forkedProof = await AuditTree.ConsistencyProofAsync(6, 13, Nodes(forked));

        Assert.False(AuditTree.VerifyConsistency(6, 13, old, forkedRoot, forkedProof));
        Assert.False(AuditTree.VerifyConsistency(6, 13, old, forkedRoot, proof));
        Assert.False(AuditTree.VerifyConsistency(6, 13, now, old, proof));
        Assert.False(AuditTree.VerifyConsistency(5, 13, old, now, proof));
        Assert.False(AuditTree.VerifyConsistency(6, 7, old, now, proof));
        Assert.False(AuditTree.VerifyConsistency(6, 13, old, now, [.. proof.Take(proof.Count - 1)]));
        Assert.False(AuditTree.VerifyConsistency(6, 13, old, now, []));
        Assert.False(AuditTree.VerifyConsistency(13, 6, now, old, proof));
        Assert.True(AuditTree.VerifyConsistency(13, 13, now, now, []));
        Assert.False(AuditTree.VerifyConsistency(13, 13, now, old, []));
        Assert.True(AuditTree.VerifyConsistency(0, 13, Convert.FromHexString(AuditTree.EmptyRoot), now, []));
    }

    [Fact]
    public async Task RootAndProofs_AskOnlyForNodesInsideTheTree()
    {
        var leaves = Enumerable.Range(0, 300).Select(static i => SHA256.HashData([0, (byte)i, (byte)(i >> 8)])).ToArray();
        var asked = new List<(int Level, long Index)>();
        ValueTask<byte[]> Node(int level, long index)
        {
            asked.Add((level, index));
            Assert.True((index + 1) << level <= 300, $"node ({level}, {index}) reaches past leaf 300");
            return Nodes(leaves)(level, index);
        }

        await AuditTree.RootAsync(300, Node);
        await AuditTree.InclusionProofAsync(299, 300, Node);

        // 300 = 256 + 32 + 8 + 4: the root is four perfect nodes.
        Assert.Equal([(8, 0L), (5, 8L), (3, 36L), (2, 74L)], asked.Take(4));
    }

    [Fact]
    public void LeafHash_IsSha256OfZeroAndTheEntrysHashBytes_AndRefusesWhatIsNotAHash()
    {
        var entryHash = new string('a', 64);
        Assert.Equal(SHA256.HashData([0, .. Convert.FromHexString(entryHash)]), AuditTree.LeafHash(entryHash));
        Assert.Throws<FormatException>(() => AuditTree.LeafHash("abc"));
        Assert.Throws<FormatException>(() => AuditTree.LeafHash(new string('z', 64)));
    }

    [Fact]
    public void PerfectRoot_OfNotAPowerOfTwo_Throws() =>
        Assert.Throws<ArgumentException>(() => AuditTree.PerfectRoot([new byte[32], new byte[32], new byte[32]]));

    // Node (level, index) straight from its definition: the root of its leaves.
    private static Func<int, long, ValueTask<byte[]>> Nodes(byte[][] leaves) =>
        (level, index) => ValueTask.FromResult(Reference.Root(leaves[(int)(index << level)..(int)((index + 1) << level)]));

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    // RFC 9162 §2.1.1 and §2.1.3.1, written as the RFC writes them.
    private static class Reference
    {
        public static byte[] Root(byte[][] leaves)
        {
            if (leaves.Length == 1)
            {
                return leaves[0];
            }

            var k = Split(leaves.Length);
            return AuditTree.NodeHash(Root(leaves[..k]), Root(leaves[k..]));
        }

        public static List<byte[]> Path(int m, byte[][] leaves)
        {
            if (leaves.Length == 1)
            {
                return [];
            }

            var k = Split(leaves.Length);
            return m < k ? [.. Path(m, leaves[..k]), Root(leaves[k..])] : [.. Path(m - k, leaves[k..]), Root(leaves[..k])];
        }

        // RFC 9162 §2.1.4.1.
        public static List<byte[]> Subproof(int m, byte[][] leaves, bool whole)
        {
            var n = leaves.Length;
            if (m == n)
            {
                return whole ? [] : [Root(leaves)];
            }

            var k = Split(n);
            return m <= k
                ? [.. Subproof(m, leaves[..k], whole), Root(leaves[k..])]
                : [.. Subproof(m - k, leaves[k..], false), Root(leaves[..k])];
        }

        private static int Split(int n)
        {
            var k = 1;
            while (k * 2 < n)
            {
                k *= 2;
            }

            return k;
        }
    }
}
