using Handoff.Core.Notifications.Webhooks;

namespace Handoff.Core.Tests.Notifications.Webhooks;

/// <summary>
/// Standard Webhooks signatures against the vectors the spec's own libraries test with: the secret, message id,
/// timestamp, payload and expected signature below appear in standard-webhooks/standard-webhooks
/// libraries/csharp/StandardWebhooks.Tests/WebhookTest.cs (<c>verifyWebhookSignWorks</c>),
/// libraries/python/tests/test_webhooks.py (<c>test_sign_function</c>, and the altered signature of
/// <c>test_invalid_signature_raises_error</c>) and libraries/javascript/src/webhook.test.ts ("sign function works",
/// "multi sig payload is valid", "partial signature throws error").
/// </summary>
public sealed class WebhookSignatureTests
{
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string SpecPayload = """{"test": 2432232314}""";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly DateTimeOffset SpecTimestamp = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    private static readonly WebhookSecret Secret = WebhookSecret.Parse(SpecSecret);

    private static Dictionary<string, string> SpecHeaders(string signature = SpecSignature) => new()
    {
        ["webhook-id"] = SpecId,
        ["webhook-timestamp"] = "1614265330",
        ["webhook-signature"] = signature,
    };

    [Fact]
    public void Sign_TheSpecLibrariesVector_GivesTheirSignature()
    {
        Assert.Equal(SpecSignature, WebhookSignature.Sign(Secret, SpecId, SpecTimestamp, SpecPayload));
    }

    [Fact]
    public void Verify_TheSpecLibrariesVector_AtItsTime_Verifies()
    {
        var result = WebhookSignature.Verify([Secret], SpecHeaders(), SpecPayload, SpecTimestamp);

        Assert.Equal(new WebhookVerification(WebhookVerificationFailure.None, null, SpecTimestamp), result);
        Assert.True(result.Verified);
    }

    [Theory]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=")] // python: one bit off at the end
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLawdd")] // C#: the end replaced
    [InlineData("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")] // another message's signature
    [InlineData("v1,dawfeoifkpqwoekfpqoekf")] // javascript: not a signature at all
    [InlineData("v1,g0hM9S")] // javascript: a partial signature
    [InlineData("v1,")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // the right value under a scheme Handoff does not use
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // no scheme
    public void Verify_AWrongOrMalformedSignature_FindsNoMatch(string signature)
    {
        var result = WebhookSignature.Verify([Secret], SpecHeaders(signature), SpecPayload, SpecTimestamp);

        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, result.Failure);
        Assert.Equal("No v1 signature in webhook-signature matches the body under the secret given.", result.Message);
    }

    [Fact]
    public void Verify_TheValidSignatureAmongOthers_Verifies()
    {
        var header = string.Join(' ',
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", SpecSignature,
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=");

        Assert.True(WebhookSignature.Verify([Secret], SpecHeaders(header), SpecPayload, SpecTimestamp).Verified);
    }

    [Theory]
    [InlineData("""{"test": 2432232315}""", SpecId, "1614265330")]
    [InlineData("""{"test":2432232314}""", SpecId, "1614265330")] // re-serialized JSON is another body
    [InlineData(SpecPayload, "msg_p5jXN8AQM9LWM0D4loKWxJeK", "1614265330")]
    [InlineData(SpecPayload, SpecId, "1614265331")]
    public void Verify_AnyChangeToBodyIdOrTimestamp_FindsNoMatch(string body, string id, string timestamp)
    {
        var headers = new Dictionary<string, string> { ["webhook-id"] = id, ["webhook-timestamp"] = timestamp, ["webhook-signature"] = SpecSignature };

        var result = WebhookSignature.Verify([Secret], headers, body, SpecTimestamp);

        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, result.Failure);
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void Verify_WithAHeaderMissingOrEmpty_SaysWhich(string header)
    {
        var without = SpecHeaders();
        without.Remove(header);
        var empty = SpecHeaders();
        empty[header] = " ";

        foreach (var headers in new[] { without, empty })
        {
            var result = WebhookSignature.Verify([Secret], headers, SpecPayload, SpecTimestamp);

            Assert.Equal(WebhookVerificationFailure.MissingHeader, result.Failure);
            Assert.Equal($"The {header} header is missing.", result.Message);
        }
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("-1614265330")]
    [InlineData("1614265330.5")]
    [InlineData("+1614265330")]
    [InlineData("99999999999999999999")]
    [InlineData("253402300800")] // one second past DateTimeOffset.MaxValue
    public void Verify_ATimestampThatIsNotUnixSeconds_IsABadTimestamp(string timestamp)
    {
        var headers = SpecHeaders();
        headers["webhook-timestamp"] = timestamp;

        var result = WebhookSignature.Verify([Secret], headers, SpecPayload, SpecTimestamp);

        Assert.Equal(WebhookVerificationFailure.BadTimestamp, result.Failure);
        Assert.Null(result.Timestamp);
    }

    [Fact]
    public void Verify_AtTheEdgesOfTheTolerance_VerifiesWithinAndRefusesBeyond()
    {
        var fiveMinutes = TimeSpan.FromMinutes(5);

        Assert.True(WebhookSignature.Verify([Secret], SpecHeaders(), SpecPayload, SpecTimestamp + fiveMinutes).Verified);
        Assert.True(WebhookSignature.Verify([Secret], SpecHeaders(), SpecPayload, SpecTimestamp - fiveMinutes).Verified);

        var old = WebhookSignature.Verify([Secret], SpecHeaders(), SpecPayload, SpecTimestamp + fiveMinutes + TimeSpan.FromSeconds(1));
        var early = WebhookSignature.Verify([Secret], SpecHeaders(), SpecPayload, SpecTimestamp - fiveMinutes - TimeSpan.FromSeconds(1));

        Assert.Equal((WebhookVerificationFailure.TooOld, SpecTimestamp), (old.Failure, old.Timestamp));
        Assert.Equal("It was signed 5 min 1 s ago, more than the 5 min allowed: a replay, or a clock behind.", old.Message);
        Assert.Equal(WebhookVerificationFailure.TooNew, early.Failure);
        Assert.Equal("It claims to be signed 5 min 1 s from now, more than the 5 min allowed: a clock ahead.", early.Message);
    }

    [Fact]
    public void Verify_WithAWiderTolerance_AcceptsAnOlderDelivery()
    {
        var hourLater = SpecTimestamp.AddHours(1);

        Assert.Equal(WebhookVerificationFailure.TooOld, WebhookSignature.Verify([Secret], SpecHeaders(), SpecPayload, hourLater).Failure);
        Assert.True(WebhookSignature.Verify([Secret], SpecHeaders(), SpecPayload, hourLater, TimeSpan.FromHours(1)).Verified);
    }

    [Fact]
    public void Verify_ReadsHeaderNamesWithoutRegardToCase()
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Webhook-Id"] = SpecId,
            ["WEBHOOK-TIMESTAMP"] = "1614265330",
            ["Webhook-Signature"] = SpecSignature,
        };

        Assert.True(WebhookSignature.Verify([Secret], headers, SpecPayload, SpecTimestamp).Verified);
    }

    [Fact]
    public void Headers_DuringARotation_CarryOneSignaturePerSecret_AndEitherSecretAloneVerifies()
    {
        var next = WebhookSecret.Generate();
        var stranger = WebhookSecret.Generate();
        var at = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        const string Body = """{"type":"case.decided","timestamp":"2026-12-01T10:00:00Z","data":{}}""";

        var headers = WebhookSignature.Headers([next, Secret], "evt_42_0", at, Body);

        Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature"], headers.Select(h => h.Key));
        Assert.Equal("evt_42_0", headers[0].Value);
        Assert.Equal(at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), headers[1].Value);
        var signatures = headers[2].Value.Split(' ');
        Assert.Equal([WebhookSignature.Sign(next, "evt_42_0", at, Body), WebhookSignature.Sign(Secret, "evt_42_0", at, Body)], signatures);
        var received = headers.ToDictionary(h => h.Key, h => h.Value);
        Assert.True(WebhookSignature.Verify([next], received, Body, at).Verified);
        Assert.True(WebhookSignature.Verify([Secret], received, Body, at).Verified);
        Assert.True(WebhookSignature.Verify([stranger, Secret], received, Body, at).Verified);
        Assert.Equal("No v1 signature in webhook-signature matches the body under the secret given.",
            WebhookSignature.Verify([stranger], received, Body, at).Message);
    }

    [Fact]
    public void Sign_SignsTheBodyAsUtf8()
    {
        var at = SpecTimestamp;
        const string Body = """{"note":"Grüße, 東京 🎉"}""";
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            Secret.Key, System.Text.Encoding.UTF8.GetBytes($"evt_1_0.{at.ToUnixTimeSeconds()}.{Body}")));

        Assert.Equal("v1," + expected, WebhookSignature.Sign(Secret, "evt_1_0", at, Body));
    }

    [Theory]
    [InlineData("evt.1")]
    [InlineData("")]
    [InlineData("  ")]
    public void Sign_AnIdThatIsEmptyOrHasAFullStop_IsRefused(string id)
    {
        Assert.ThrowsAny<ArgumentException>(() => WebhookSignature.Sign(Secret, id, SpecTimestamp, SpecPayload));
    }

    [Fact]
    public void SignatureHeader_WithoutSecrets_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => WebhookSignature.SignatureHeader([], SpecId, SpecTimestamp, SpecPayload));
        Assert.Throws<ArgumentException>(() => WebhookSignature.Verify([], SpecHeaders(), SpecPayload, SpecTimestamp));
    }
}
