using System.Globalization;
using CsCheck;
using Handoff.Core.Notifications.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace Handoff.Core.Tests.Notifications.Webhooks;

/// <summary>
/// Handoff's hand-written signatures against an independent implementation, the StandardWebhooks package
/// (Codefactors, MIT), over random secrets, ids, times and bodies. The package stays out of Handoff itself: it brings
/// ASP.NET Core with it, and the SDK must not.
/// </summary>
public sealed class ReferenceImplementationTests
{
    private static readonly Gen<WebhookSecret> GenSecret = Gen.Int[WebhookSecret.MinKeyBytes, WebhookSecret.MaxKeyBytes].Select(WebhookSecret.Generate);
    private static readonly Gen<string> GenId = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"], 1, 40];
    private static readonly Gen<DateTimeOffset> GenTime = Gen.Long[0, 4_102_444_800].Select(s => DateTimeOffset.FromUnixTimeSeconds(s));
    // Any text, non-ASCII and JSON-looking alike: the signature is over the body's UTF-8 bytes, whatever they say.
    private static readonly Gen<string> GenBody = Gen.OneOf(Gen.String, Gen.String[Gen.Char.AlphaNumeric, 0, 2000], Gen.Const("""{"type":"case.decided","data":{"note":"Grüße 東京"}}"""));

    [Fact]
    public void Sign_AgreesWithTheReferenceImplementation()
    {
        Gen.Select(GenSecret, GenId, GenTime, GenBody).Sample((secret, id, at, body) =>
            WebhookSignature.Sign(secret, id, at, body) == new StandardWebhook(secret.Text).Sign(id, at, body));
    }

    [Fact]
    public void EachVerifiesWhatTheOtherSigned()
    {
        // The reference verifies against its own clock, so both sign "now"; nothing here depends on how long that takes.
        var now = TimeProvider.System.GetUtcNow();
        Gen.Select(GenSecret, GenId, GenBody).Sample((secret, id, body) =>
        {
            var reference = new StandardWebhook(secret.Text);
            var ours = new HeaderDictionary();
            foreach (var (name, value) in WebhookSignature.Headers([secret], id, now, body))
            {
                ours[name] = value;
            }

            reference.Verify(body, ours);

            var theirs = new Dictionary<string, string>
            {
                ["webhook-id"] = id,
                ["webhook-timestamp"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["webhook-signature"] = reference.Sign(id, now, body),
            };
            Assert.True(WebhookSignature.Verify([secret], theirs, body, now).Verified);
        });
    }
}
