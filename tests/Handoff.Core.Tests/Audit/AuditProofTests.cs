using System.Globalization;
using Handoff.Core.Audit;

namespace Handoff.Core.Tests.Audit;

public sealed class AuditProofTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task AProofOfACasesEntries_Checks_AndSurvivesItsJson()
    {
        var (log, proof) = await ProveAsync(size: 11, "cs_2");

        Assert.Equal(4, proof.Entries.Count);
        Assert.Empty(AuditProof.Parse(AuditProof.Serialize(proof)).Check());
        Assert.Equal(Convert.ToHexStringLower(await AuditTree.RootAsync(11, Nodes(log))), proof.RootHash);
    }

    [Fact]
    public async Task Check_AnEntryWhoseFieldsWereChanged_NamesIt()
    {
        var (_, proof) = await ProveAsync(size: 11, "cs_2");
        var altered = proof with
        {
            Entries = [.. proof.Entries.Select(static p => p.Entry.Sequence == 5 ? p with { Entry = p.Entry with { Data = """{"verdict":"approve"}""" } } : p)],
        };

        Assert.Equal(["entry 5 was altered: its fields hash to " + AuditChain.ComputeHash(altered.Entries[1].Entry) + ", not " + proof.Entries[1].Entry.Hash],
            altered.Check());
    }

    [Fact]
    public async Task Check_AnEntryRewrittenWithItsHashRecomputed_DoesNotLeadToTheRoot()
    {
        var (_, proof) = await ProveAsync(size: 11, "cs_2");
        var rewritten = AuditChain.Seal(proof.Entries[1].Entry with { Data = """{"verdict":"approve"}""" }, proof.Entries[1].Entry.PreviousHash);
        var altered = proof with { Entries = [proof.Entries[0], proof.Entries[1] with { Entry = rewritten }, .. proof.Entries.Skip(2)] };

        Assert.Equal(["entry 5 is not in the tree of 11 entries with root " + proof.RootHash + ": its path leads elsewhere"], altered.Check());
    }

    [Fact]
    public async Task Check_AnotherCasesEntry_OrAForeignRoot_OrANewFormat_IsRefused()
    {
        var (log, proof) = await ProveAsync(size: 11, "cs_2");
        var other = proof with { Entries = [.. proof.Entries, new ProvenAuditEntry { Entry = log[0], Path = [] }] };

        Assert.Equal(["entry 1 is about ws_1/cs_1, not this case"], other.Check());
        Assert.Equal(4, (proof with { RootHash = new string('0', 64) }).Check().Count);
        Assert.Contains("this Handoff reads", Assert.Single((proof with { Format = "handoff.audit.proof.v9" }).Check()), StringComparison.Ordinal);
        Assert.Contains("is not hex", Assert.Single((proof with { RootHash = "xyz" }).Check()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAgainst_ACheckpointOfAnotherSizeOrRoot_SaysWhich()
    {
        var (log, proof) = await ProveAsync(size: 11, "cs_2");
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var signed = AuditCheckpoints.Sign(log[10], proof.RootHash, Start, key);

        Assert.Null(proof.CheckAgainst(signed));
        Assert.Contains("tree of 11 entries, the checkpoint signs 12", proof.CheckAgainst(signed with { Size = 12 }), StringComparison.Ordinal);
        Assert.Contains("was changed at or before entry 11", proof.CheckAgainst(signed with { RootHash = new string('1', 64) }), StringComparison.Ordinal);
        Assert.Contains("signs no Merkle root", proof.CheckAgainst(signed with { RootHash = null }), StringComparison.Ordinal);
        // A root added to a version 1 checkpoint is signed by nobody, whatever it says.
        Assert.Contains("signs no Merkle root", proof.CheckAgainst(signed with { Format = AuditCheckpoints.FormatV1 }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AProofOfNoEntry_OrOneListingAnEntryTwice_IsAProblem()
    {
        var (_, proof) = await ProveAsync(size: 11, "cs_2");

        Assert.Equal(["the proof proves no entry"], (proof with { Entries = [] }).Check());
        Assert.Equal(["entry 5 is listed twice"], (proof with { Entries = [.. proof.Entries, proof.Entries[1]] }).Check());
    }

    [Theory]
    [InlineData("""{"treeSize":"big"}""")]
    [InlineData("""{"format":"handoff.audit.proof.v1","workspaceId":"ws_1","caseId":"cs_1","treeSize":1,"rootHash":null,"entries":[]}""")]
    [InlineData("""{"format":"handoff.audit.proof.v1","workspaceId":"ws_1","caseId":"cs_1","treeSize":1,"rootHash":"00","entries":null}""")]
    public void Parse_NotAProof_OrOneWithANullField_ThrowsFormatException(string json) =>
        Assert.Throws<FormatException>(() => AuditProof.Parse(json));

    [Fact]
    public async Task Check_AnEntryWithoutItsPathOrANullHashInIt_IsAProblem_NotACrash()
    {
        var (_, proof) = await ProveAsync(size: 11, "cs_2");
        var json = AuditProof.Serialize(proof);
        var nullInPath = AuditProof.Parse(json.Replace("\"path\": [", "\"path\": [null, ", StringComparison.Ordinal));

        Assert.All(nullInPath.Check(), static p => Assert.Equal("the proof lists an entry without its fields or its path", p));
        Assert.Equal(4, nullInPath.Check().Count);
    }

    // A chain of `size` entries about cs_1..cs_3 in turn, and the proof of one case's entries in it.
    private static async Task<(AuditEntry[] Log, AuditProof Proof)> ProveAsync(int size, string caseId)
    {
        var log = new AuditEntry[size];
        var previous = AuditChain.Genesis;
        for (var i = 0; i < size; i++)
        {
            log[i] = AuditChain.Seal(new AuditEntry
            {
                Sequence = i + 1, WorkspaceId = "ws_1", At = Start.AddSeconds(i), ActorKind = "key", ActorId = "key_1", ActorName = "bot",
                Action = "case.created", Subject = string.Create(CultureInfo.InvariantCulture, $"cs_{(i % 3) + 1}"), Data = "{}", PreviousHash = "", Hash = "",
            }, previous);
            previous = log[i].Hash;
        }

        var root = await AuditTree.RootAsync(size, Nodes(log));
        var entries = new List<ProvenAuditEntry>();
        foreach (var entry in log.Where(e => e.Subject == caseId))
        {
            var path = await AuditTree.InclusionProofAsync(entry.Sequence - 1, size, Nodes(log));
            entries.Add(new ProvenAuditEntry { Entry = entry, Path = [.. path.Select(Convert.ToHexStringLower)] });
        }

        return (log, new AuditProof
        {
            Format = AuditProof.CurrentFormat, WorkspaceId = "ws_1", CaseId = caseId, TreeSize = size, RootHash = Convert.ToHexStringLower(root), Entries = entries,
        });
    }

    private static Func<int, long, ValueTask<byte[]>> Nodes(AuditEntry[] log) =>
        (level, index) => ValueTask.FromResult(AuditTree.PerfectRoot([.. log[(int)(index << level)..(int)((index + 1) << level)].Select(static e => AuditTree.LeafHash(e.Hash))]));
}

public sealed class AuditConsistencyProofTests
{
    [Fact]
    public async Task AProofBetweenTwoSizes_Checks_SurvivesItsJson_AndNamesAForgedRoot()
    {
        var leaves = Enumerable.Range(0, 20).Select(static i => System.Security.Cryptography.SHA256.HashData([0, (byte)i])).ToArray();
        ValueTask<byte[]> Node(int level, long index) =>
            ValueTask.FromResult(AuditTree.PerfectRoot(leaves[(int)(index << level)..(int)((index + 1) << level)]));
        var proof = new AuditConsistencyProof
        {
            Format = AuditConsistencyProof.CurrentFormat,
            FirstSize = 7,
            FirstRoot = Convert.ToHexStringLower(await AuditTree.RootAsync(7, Node)),
            SecondSize = 20,
            SecondRoot = Convert.ToHexStringLower(await AuditTree.RootAsync(20, Node)),
            Path = [.. (await AuditTree.ConsistencyProofAsync(7, 20, Node)).Select(Convert.ToHexStringLower)],
        };

        Assert.Null(AuditConsistencyProof.Parse(AuditConsistencyProof.Serialize(proof)).Check());
        Assert.Contains("was rewritten or forked", (proof with { FirstRoot = proof.SecondRoot }).Check(), StringComparison.Ordinal);
        Assert.Contains("not hex", (proof with { Path = ["zz"] }).Check(), StringComparison.Ordinal);
        Assert.Contains("this Handoff reads", (proof with { Format = "v0" }).Check(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"firstSize":"seven"}""")]
    [InlineData("""{"format":"handoff.audit.consistency.v1","firstSize":1,"firstRoot":null,"secondSize":2,"secondRoot":"00","path":[]}""")]
    [InlineData("""{"format":"handoff.audit.consistency.v1","firstSize":1,"firstRoot":"00","secondSize":2,"secondRoot":"00","path":null}""")]
    public void Parse_NotAProof_OrOneWithANullField_ThrowsFormatException(string json) =>
        Assert.Throws<FormatException>(() => AuditConsistencyProof.Parse(json));
}
