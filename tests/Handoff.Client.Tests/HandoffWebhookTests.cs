using System.Collections.Concurrent;
using System.Text.Json;
using CsCheck;
using Handoff.Core.Notifications.Webhooks;
using Handoff.Server.Hosting;
using Handoff.Server.Notifications.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Client.Tests;

/// <summary>
/// The SDK's webhook verifier: against the Standard Webhooks libraries' published vector (standard-webhooks/
/// standard-webhooks, libraries/csharp/StandardWebhooks.Tests/WebhookTest.cs and libraries/python/tests/
/// test_webhooks.py), against the server's own signing, and at a real receiver the server's sender posts to.
/// </summary>
public sealed class HandoffWebhookTests
{
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Event = """{"type":"case.decided","timestamp":"2026-12-01T09:59:58.512Z","data":{"workspaceId":"ws_1","case":{"id":"cs_7","status":"approved"}}}""";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> SpecHeaders(string signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=") => new()
    {
        ["webhook-id"] = "msg_p5jXN8AQM9LWM0D4loKWxJek",
        ["webhook-timestamp"] = "1614265330",
        ["webhook-signature"] = signature,
    };

    private static HandoffWebhook At(DateTimeOffset now, params string[] secrets) => new(secrets, new FakeTimeProvider(now));

    private static Dictionary<string, string> Signed(WebhookSecret secret, string body, DateTimeOffset at, string id = "evt_42_0") =>
        WebhookSignature.Headers([secret], id, at, body).ToDictionary(h => h.Key, h => h.Value);

    [Theory]
    [InlineData(SpecSecret)]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    public void Verify_TheSpecLibrariesVector_PassesTheSignature_ThoughItsBodyIsNoHandoffEvent(string secret)
    {
        var webhook = At(DateTimeOffset.FromUnixTimeSeconds(1614265330), secret);

        var refused = Assert.Throws<HandoffWebhookException>(() => webhook.Verify(SpecHeaders(), """{"test": 2432232314}"""));

        // Signature and time passed; only the body's shape (no "type") is not Handoff's.
        Assert.Equal(HandoffWebhookFailure.InvalidBody, refused.Reason);
    }

    [Fact]
    public void Verify_TheSpecLibrariesVector_WithItsSignatureAltered_MatchesNothing()
    {
        var webhook = At(DateTimeOffset.FromUnixTimeSeconds(1614265330), SpecSecret);

        var refused = Assert.Throws<HandoffWebhookException>(() =>
            webhook.Verify(SpecHeaders("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="), """{"test": 2432232314}"""));

        Assert.Equal(HandoffWebhookFailure.NoMatchingSignature, refused.Reason);
    }

    [Fact]
    public void Verify_ADeliverySignedByTheServer_ReturnsTheEvent()
    {
        var secret = WebhookSecret.Generate();

        var e = At(Now.AddSeconds(2), secret.Text).Verify(Signed(secret, Event, Now), Event);

        Assert.Equal(("evt_42_0", "case.decided", new DateTimeOffset(2026, 12, 1, 9, 59, 58, 512, TimeSpan.Zero)), (e.Id, e.Type, e.Timestamp));
        Assert.Equal("cs_7", e.Data.GetProperty("case").GetProperty("id").GetString());
    }

    [Fact]
    public void Verify_DuringARotation_AcceptsTheOldSecretAndTheNew()
    {
        var old = WebhookSecret.Generate();
        var current = WebhookSecret.Generate();
        var headers = WebhookSignature.Headers([current, old], "evt_1_0", Now, Event).ToDictionary(h => h.Key, h => h.Value);

        Assert.Equal("case.decided", At(Now, old.Text).Verify(headers, Event).Type);
        Assert.Equal("case.decided", At(Now, current.Text).Verify(headers, Event).Type);
        Assert.Equal("case.decided", At(Now, WebhookSecret.Generate().Text, old.Text).Verify(headers, Event).Type);
        Assert.Equal(HandoffWebhookFailure.NoMatchingSignature,
            Assert.Throws<HandoffWebhookException>(() => At(Now, WebhookSecret.Generate().Text).Verify(headers, Event)).Reason);
    }

    [Fact]
    public void Verify_ABodyChangedOnTheWay_MatchesNothing()
    {
        var secret = WebhookSecret.Generate();
        var headers = Signed(secret, Event, Now);

        var refused = Assert.Throws<HandoffWebhookException>(() => At(Now, secret.Text).Verify(headers, Event.Replace("approved", "rejected", StringComparison.Ordinal)));

        Assert.Equal(HandoffWebhookFailure.NoMatchingSignature, refused.Reason);
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void Verify_WithoutAHeader_SaysWhich(string name)
    {
        var secret = WebhookSecret.Generate();
        var headers = Signed(secret, Event, Now);
        headers.Remove(name);

        var refused = Assert.Throws<HandoffWebhookException>(() => At(Now, secret.Text).Verify(headers, Event));

        Assert.Equal(HandoffWebhookFailure.MissingHeader, refused.Reason);
        Assert.Equal($"The {name} header is missing: this is not a Handoff webhook.", refused.Message);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void Verify_ATimestampThatIsNotUnixSeconds_IsRefused(string timestamp)
    {
        var secret = WebhookSecret.Generate();
        var headers = Signed(secret, Event, Now);
        headers["webhook-timestamp"] = timestamp;

        Assert.Equal(HandoffWebhookFailure.BadTimestamp, Assert.Throws<HandoffWebhookException>(() => At(Now, secret.Text).Verify(headers, Event)).Reason);
    }

    [Fact]
    public void Verify_OutsideTheTolerance_IsTooOldOrTooNew_AndAWiderToleranceAccepts()
    {
        var secret = WebhookSecret.Generate();
        var headers = Signed(secret, Event, Now);
        var sixMinutes = TimeSpan.FromMinutes(6);

        var old = Assert.Throws<HandoffWebhookException>(() => At(Now + sixMinutes, secret.Text).Verify(headers, Event));
        var early = Assert.Throws<HandoffWebhookException>(() => At(Now - sixMinutes, secret.Text).Verify(headers, Event));
        var patient = new HandoffWebhook([secret.Text], new FakeTimeProvider(Now + sixMinutes)) { Tolerance = TimeSpan.FromMinutes(10) };

        Assert.Equal(HandoffWebhookFailure.TooOld, old.Reason);
        Assert.Equal("The delivery was signed at 2026-12-01 10:00:00Z, more than 300 s before this machine's clock (2026-12-01 10:06:00Z): a replay, or a clock off.", old.Message);
        Assert.Equal(HandoffWebhookFailure.TooNew, early.Reason);
        Assert.Equal("case.decided", patient.Verify(headers, Event).Type);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""["case.decided"]""")]
    [InlineData("""{"data":{}}""")]
    [InlineData("""{"type":7}""")]
    public void Verify_ASignedBodyThatIsNoHandoffEvent_IsAnInvalidBody(string body)
    {
        var secret = WebhookSecret.Generate();

        var refused = Assert.Throws<HandoffWebhookException>(() => At(Now, secret.Text).Verify(Signed(secret, body, Now), body));

        Assert.Equal(HandoffWebhookFailure.InvalidBody, refused.Reason);
    }

    [Fact]
    public void Verify_AnEventWithoutTimestampOrData_TakesTheSigningTime_AndLeavesDataUndefined()
    {
        var secret = WebhookSecret.Generate();
        const string Body = """{"type":"policy.published"}""";

        var e = At(Now, secret.Text).Verify(Signed(secret, Body, Now), Body);

        Assert.Equal((Now, JsonValueKind.Undefined), (e.Timestamp, e.Data.ValueKind));
    }

    [Fact]
    public void Verify_FromHttpHeaders_ReadsThemAsSent()
    {
        var secret = WebhookSecret.Generate();
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://receiver.example/");
        foreach (var (name, value) in Signed(secret, Event, Now))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        Assert.Equal("evt_42_0", At(Now, secret.Text).Verify(request.Headers, Event).Id);
    }

    [Fact]
    public void Verify_WithHeaderNamesInAnyCase_Verifies()
    {
        var secret = WebhookSecret.Generate();
        var headers = Signed(secret, Event, Now).ToDictionary(h => h.Key.ToUpperInvariant(), h => h.Value, StringComparer.Ordinal);

        Assert.Equal("case.decided", At(Now, secret.Text).Verify(headers, Event).Type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_not*base64")]
    public void New_WithAnUnusableSecret_IsRefused(string secret)
    {
        Assert.Throws<ArgumentException>(() => new HandoffWebhook(secret));
    }

    [Fact]
    public void New_WithoutSecrets_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new HandoffWebhook([]));
    }

    [Fact]
    public void Verify_AgreesWithTheServersSigning_ForAnyEvent()
    {
        var gen = Gen.Select(Gen.Int[24, 64].Select(WebhookSecret.Generate), Gen.String, Gen.String[Gen.Char.AlphaNumeric, 1, 30], Gen.Long[0, 4_000_000_000]);
        gen.Sample((secret, note, id, seconds) =>
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
            var body = JsonSerializer.Serialize(new { type = "case.decided", data = new { note } });

            var e = At(at, secret.Text).Verify(Signed(secret, body, at, id), body);

            return e.Id == id && e.Data.GetProperty("note").GetString() == note;
        });
    }

    [Fact]
    public async Task AReceiverUsingTheSdk_AcceptsWhatTheServersSenderPosts_AndRefusesAnotherSecret()
    {
        var secret = WebhookSecret.Generate();
        var webhook = new HandoffWebhook(secret.Text);
        var received = new ConcurrentQueue<HandoffWebhookEvent>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var receiver = builder.Build();
        // As the SDK's own example: read the raw body, verify, then act.
        receiver.MapPost("/hooks/handoff", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            try
            {
                received.Enqueue(webhook.Verify(name => request.Headers[name], body));
                return Results.NoContent();
            }
            catch (HandoffWebhookException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status401Unauthorized);
            }
        });
        await receiver.StartAsync(Ct);
        using var sender = new WebhookSender(Options.Create(new WebhookOptions { AllowedNetworks = ["127.0.0.0/8"] }), TimeProvider.System);
        var url = new Uri(receiver.ListeningAddress(), "/hooks/handoff");

        var delivered = await sender.SendAsync(url, "evt_9_1", TimeProvider.System.GetUtcNow(), Event, [secret.Text], Ct);
        var forged = await sender.SendAsync(url, "evt_9_2", TimeProvider.System.GetUtcNow(), Event, [WebhookSecret.Generate().Text], Ct);

        Assert.True(delivered.Delivered, delivered.Error);
        var e = Assert.Single(received);
        Assert.Equal(("evt_9_1", "case.decided", "cs_7"), (e.Id, e.Type, e.Data.GetProperty("case").GetProperty("id").GetString()));
        Assert.Equal((false, 401), (forged.Delivered, forged.StatusCode));
        Assert.Contains("No v1 signature in webhook-signature matches", forged.ResponseExcerpt, StringComparison.Ordinal);
        await receiver.StopAsync(Ct);
    }
}
