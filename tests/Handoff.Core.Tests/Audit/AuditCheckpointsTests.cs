using System.Security.Cryptography;
using Handoff.Core.Audit;

namespace Handoff.Core.Tests.Audit;

public sealed class AuditCheckpointsTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly string Root = new('7', 64);

    [Fact]
    public void Sign_ThenCheckSignatureWithTheSameKey_Accepts()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = AuditCheckpoints.Sign(Head(3), Root, Start, key);

        Assert.Null(AuditCheckpoints.CheckSignature(AuditCheckpoints.Parse(AuditCheckpoints.Serialize(checkpoint)), key));
        Assert.Equal((3L, 3L, Head(3).Hash), (checkpoint.Size, checkpoint.HeadSequence, checkpoint.HeadHash));
    }

    [Fact]
    public void CheckSignature_SignedWithAnotherKey_RefusesIt_EvenThoughItCarriesItsOwnPublicKey()
    {
        using var trusted = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = AuditCheckpoints.Sign(Head(2), Root, Start, attacker);

        var problem = AuditCheckpoints.CheckSignature(forged, trusted);

        Assert.NotNull(problem);
        Assert.Contains("not by the trusted key", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckSignature_WhenTheSizeWasChangedButNotResigned_Refuses()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = AuditCheckpoints.Sign(Head(5), Root, Start, key) with { Size = 2, HeadSequence = 2 };

        Assert.Contains("does not match its contents", AuditCheckpoints.CheckSignature(checkpoint, key), StringComparison.Ordinal);
    }

    [Fact]
    public void SignedText_IsTheDocumentedSevenLines_AndAVersionOneCheckpointsSix()
    {
        var checkpoint = new AuditCheckpoint
        {
            Format = AuditCheckpoints.Format, Size = 7, HeadSequence = 7, HeadHash = "ab", RootHash = "ef", At = Start, KeyId = "sha256:cd",
            PublicKey = "", Signature = "",
        };

        Assert.Equal(
            "handoff.audit.checkpoint.v2\nsize=7\nhead=7\nhash=ab\nroot=ef\nat=2025-03-01T09:30:00.0000000+00:00\nkey=sha256:cd\n",
            AuditCheckpoints.SignedText(checkpoint));
        Assert.Equal(
            "handoff.audit.checkpoint.v1\nsize=7\nhead=7\nhash=ab\nat=2025-03-01T09:30:00.0000000+00:00\nkey=sha256:cd\n",
            AuditCheckpoints.SignedText(checkpoint with { Format = AuditCheckpoints.FormatV1, RootHash = null }));
    }

    [Fact]
    public void CheckSignature_AVersionOneCheckpoint_IsStillAccepted()
    {
        // As version 1 wrote them: six signed lines, no root.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var unsigned = AuditCheckpoints.Sign(Head(3), Root, Start, key) with { Format = AuditCheckpoints.FormatV1, RootHash = null, Signature = "" };
        var v1 = unsigned with
        {
            Signature = Convert.ToBase64String(key.SignData(System.Text.Encoding.UTF8.GetBytes(AuditCheckpoints.SignedText(unsigned)), HashAlgorithmName.SHA256)),
        };

        Assert.Null(AuditCheckpoints.CheckSignature(AuditCheckpoints.Parse(AuditCheckpoints.Serialize(v1)), key));
    }

    [Fact]
    public void CheckSignature_WhenTheRootWasChangedOrDropped_Refuses()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = AuditCheckpoints.Sign(Head(5), Root, Start, key);

        Assert.Contains("does not match its contents", AuditCheckpoints.CheckSignature(checkpoint with { RootHash = new string('8', 64) }, key), StringComparison.Ordinal);
        Assert.Contains("has no rootHash", AuditCheckpoints.CheckSignature(checkpoint with { RootHash = null }, key), StringComparison.Ordinal);
        Assert.Contains("does not match its contents",
            AuditCheckpoints.CheckSignature(checkpoint with { Format = AuditCheckpoints.FormatV1, RootHash = null }, key), StringComparison.Ordinal);
        Assert.Contains("which a 'handoff.audit.checkpoint.v1' checkpoint does not sign",
            AuditCheckpoints.CheckSignature(checkpoint with { Format = AuditCheckpoints.FormatV1 }, key), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckExtends_ALogWithFewerEntries_IsTruncated()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = AuditCheckpoints.Sign(Head(5), Root, Start, key);

        Assert.Equal("truncated: checkpoint covers entries 1..5 but the log has 3", AuditCheckpoints.CheckExtends(checkpoint, 3, null));
    }

    [Fact]
    public void CheckExtends_AnotherEntryAtTheHead_NamesIt()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = AuditCheckpoints.Sign(Head(5), Root, Start, key);

        var problem = AuditCheckpoints.CheckExtends(checkpoint, 9, Head(5) with { Hash = new string('e', 64) });

        Assert.StartsWith("entry 5 differs from the checkpoint", problem, StringComparison.Ordinal);
        Assert.Null(AuditCheckpoints.CheckExtends(checkpoint, 9, Head(5)));
    }

    [Fact]
    public void Parse_NotACheckpoint_OrANegativeSize_ThrowsFormatException()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var negative = AuditCheckpoints.Serialize(AuditCheckpoints.Sign(Head(3), Root, Start, key) with { Size = -1 });

        Assert.Throws<FormatException>(() => AuditCheckpoints.Parse("""{"size":"many"}"""));
        Assert.Throws<FormatException>(() => AuditCheckpoints.Parse(negative));
    }

    private static AuditEntry Head(long sequence) => new()
    {
        Sequence = sequence,
        WorkspaceId = "ws_1",
        At = Start,
        ActorKind = "key",
        ActorId = "key_1",
        ActorName = "bot",
        Action = "case.created",
        Subject = "cs_1",
        Data = "{}",
        PreviousHash = AuditChain.Genesis,
        Hash = Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)).Concat(new byte[31]).Take(32).ToArray()),
    };
}
