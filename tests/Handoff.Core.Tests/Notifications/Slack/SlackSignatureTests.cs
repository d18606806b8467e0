using System.Security.Cryptography;
using System.Text;
using Handoff.Core.Notifications.Slack;

namespace Handoff.Core.Tests.Notifications.Slack;

public sealed class SlackSignatureTests
{
    // Slack's own worked example (api.slack.com/authentication/verifying-requests-from-slack): its signing secret,
    // timestamp, slash-command body and the signature Slack computed. Agreeing with it proves the base string is
    // assembled as Slack assembles it, which a round trip through our own signing could not.
    private const string DocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string DocTimestamp = "1531420618";
    private const string DocBody =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA"
        + "&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554"
        + "%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static readonly DateTimeOffset DocTime = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Verify_SlacksDocumentedExample_IsValid()
    {
        Assert.Equal(SlackSignatureCheck.Valid, SlackSignature.Verify(DocSecret, DocTimestamp, DocSignature, Encoding.UTF8.GetBytes(DocBody), DocTime.AddSeconds(30)));
    }

    [Fact]
    public void Verify_ABodyChangedByOneCharacter_IsAMismatch()
    {
        var tampered = DocBody.Replace("roadrunner", "roadrunnex", StringComparison.Ordinal);

        Assert.Equal(SlackSignatureCheck.Mismatch, SlackSignature.Verify(DocSecret, DocTimestamp, DocSignature, Encoding.UTF8.GetBytes(tampered), DocTime));
    }

    [Fact]
    public void Verify_AnotherSecret_IsAMismatch()
    {
        Assert.Equal(SlackSignatureCheck.Mismatch, SlackSignature.Verify("another-secret", DocTimestamp, DocSignature, Encoding.UTF8.GetBytes(DocBody), DocTime));
    }

    [Fact]
    public void Verify_ATimestampTheSignatureWasNotMadeWith_IsAMismatch()
    {
        Assert.Equal(SlackSignatureCheck.Mismatch, SlackSignature.Verify(DocSecret, "1531420619", DocSignature, Encoding.UTF8.GetBytes(DocBody), DocTime));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void Verify_MoreThanFiveMinutesFromNow_IsStale(int offsetSeconds)
    {
        Assert.Equal(SlackSignatureCheck.Stale, SlackSignature.Verify(DocSecret, DocTimestamp, DocSignature, Encoding.UTF8.GetBytes(DocBody), DocTime.AddSeconds(-offsetSeconds)));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Verify_ExactlyFiveMinutesFromNow_IsStillValid(int offsetSeconds)
    {
        Assert.Equal(SlackSignatureCheck.Valid, SlackSignature.Verify(DocSecret, DocTimestamp, DocSignature, Encoding.UTF8.GetBytes(DocBody), DocTime.AddSeconds(-offsetSeconds)));
    }

    [Theory]
    [InlineData(null, DocSignature)]
    [InlineData(DocTimestamp, null)]
    [InlineData("yesterday", DocSignature)]
    [InlineData("-1531420618", DocSignature)]
    [InlineData(DocTimestamp, "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("99999999999999999", DocSignature)]
    public void Verify_MissingOrMisshapenHeaders_AreRefused(string? timestamp, string? signature)
    {
        Assert.NotEqual(SlackSignatureCheck.Valid, SlackSignature.Verify(DocSecret, timestamp, signature, Encoding.UTF8.GetBytes(DocBody), DocTime));
    }

    [Fact]
    public void Verify_APayloadSignedByHand_IsValid_AndItsUppercaseHexToo()
    {
        var body = Encoding.UTF8.GetBytes("payload=%7B%22type%22%3A%22block_actions%22%7D");
        var now = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var hex = Convert.ToHexString(HMACSHA256.HashData("s3cret"u8, [.. Encoding.UTF8.GetBytes($"v0:{timestamp}:"), .. body]));

        Assert.Equal(SlackSignatureCheck.Valid, SlackSignature.Verify("s3cret", timestamp, "v0=" + hex.ToLowerInvariant(), body, now));
        Assert.Equal(SlackSignatureCheck.Valid, SlackSignature.Verify("s3cret", timestamp, "v0=" + hex, body, now));
        Assert.Equal(SlackSignatureCheck.Malformed, SlackSignature.Verify("s3cret", timestamp, "v1=" + hex, body, now));
    }
}
