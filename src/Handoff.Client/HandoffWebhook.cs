using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Handoff.Client;

/// <summary>
/// Verifies the webhooks (and case callbacks) Handoff sends, as Standard Webhooks has it: the <c>webhook-signature</c>
/// header must carry an HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c> under one of your endpoint's
/// secrets, and the timestamp must be within <see cref="Tolerance"/> of now. Pass the body exactly as received, before
/// any JSON parsing: re-serialized JSON is another body and fails.
/// </summary>
/// <remarks>
/// Thread-safe: make one per endpoint and share it. During a secret rotation give it both secrets, the new and the
/// old; Handoff signs with every secret in force, so either matches.
/// <code>
/// var webhook = new HandoffWebhook(configuration["Handoff:WebhookSecret"]!);
/// app.MapPost("/hooks/handoff", async (HttpRequest request) =>
/// {
///     var body = await new StreamReader(request.Body).ReadToEndAsync();
///     try { var e = webhook.Verify(name => request.Headers[name], body); /* handle e.Type, e.Data */ return Results.NoContent(); }
///     catch (HandoffWebhookException) { return Results.Unauthorized(); }
/// });
/// </code>
/// </remarks>
public sealed class HandoffWebhook
{
    private const string SecretPrefix = "whsec_";
    private const int MacBytes = 32;

    private readonly byte[][] _keys;
    private readonly TimeProvider _time;

    /// <summary>A verifier for one secret, <c>whsec_…</c> as Handoff showed it (the bare base64 is accepted too).</summary>
    /// <exception cref="ArgumentException">The secret is empty or not base64.</exception>
    public HandoffWebhook(string secret)
        : this([secret])
    {
    }

    /// <summary>A verifier that accepts a signature by any of <paramref name="secrets"/>.</summary>
    /// <param name="secrets">The endpoint's secrets, <c>whsec_…</c> (the bare base64 is accepted too).</param>
    /// <param name="timeProvider">The clock the timestamp is checked against. The default is the system clock.</param>
    /// <exception cref="ArgumentException">There is no secret, or one is empty or not base64.</exception>
    public HandoffWebhook(IEnumerable<string> secrets, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _keys = [.. secrets.Select(Key)];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("At least one webhook secret is needed.", nameof(secrets));
        }

        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// How far the delivery's timestamp may be from this machine's clock, either way: older deliveries are refused as
    /// possible replays. <value>The default value is 5 minutes.</value>
    /// </summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Verifies a delivery from its headers (names matched without regard to case) and its body, as received.</summary>
    /// <returns>The event, once the delivery verified.</returns>
    /// <exception cref="HandoffWebhookException">It did not verify; <see cref="HandoffWebhookException.Reason"/> says why.</exception>
    public HandoffWebhookEvent Verify(IReadOnlyDictionary<string, string> headers, string body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return Verify(name => Find(headers, name), body);
    }

    /// <summary>Verifies a delivery from <see cref="HttpHeaders"/> (an <see cref="HttpRequestMessage"/>'s) and its body, as received.</summary>
    /// <inheritdoc cref="Verify(IReadOnlyDictionary{string, string}, string)"/>
    public HandoffWebhookEvent Verify(HttpHeaders headers, string body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return Verify(name => headers.TryGetValues(name, out var values) ? string.Join(' ', values) : null, body);
    }

    /// <summary>
    /// Verifies a delivery, reading each header through <paramref name="header"/> (null when absent): in ASP.NET Core
    /// <c>name => request.Headers[name]</c>, with HttpListener <c>name => context.Request.Headers[name]</c>.
    /// </summary>
    /// <inheritdoc cref="Verify(IReadOnlyDictionary{string, string}, string)"/>
    public HandoffWebhookEvent Verify(Func<string, string?> header, string body)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(body);
        var id = Required(header, "webhook-id");
        var timestampText = Required(header, "webhook-timestamp");
        var signatures = Required(header, "webhook-signature");

        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new HandoffWebhookException(HandoffWebhookFailure.BadTimestamp, $"The webhook-timestamp header '{timestampText}' is not a Unix time in seconds.");
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var now = _time.GetUtcNow();
        if (signedAt < now - Tolerance)
        {
            throw new HandoffWebhookException(HandoffWebhookFailure.TooOld,
                $"The delivery was signed at {signedAt:u}, more than {Tolerance.TotalSeconds:0} s before this machine's clock ({now:u}): a replay, or a clock off.");
        }

        if (signedAt > now + Tolerance)
        {
            throw new HandoffWebhookException(HandoffWebhookFailure.TooNew,
                $"The delivery claims to be signed at {signedAt:u}, more than {Tolerance.TotalSeconds:0} s after this machine's clock ({now:u}): a clock off.");
        }

        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{seconds}.{body}"));
        var expected = _keys.Select(k => HMACSHA256.HashData(k, signed)).ToArray();
        Span<byte> given = stackalloc byte[MacBytes];
        var matched = false;
        foreach (var part in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Other schemes (v1a, later versions) may sit beside v1: skipped, not failed.
            if (!part.StartsWith("v1,", StringComparison.Ordinal) || !Convert.TryFromBase64String(part[3..], given, out var length) || length != MacBytes)
            {
                continue;
            }

            foreach (var mac in expected)
            {
                // Compared in full and in constant time: how much of a forgery was right must not show in the timing.
                matched |= CryptographicOperations.FixedTimeEquals(mac, given);
            }
        }

        if (!matched)
        {
            throw new HandoffWebhookException(HandoffWebhookFailure.NoMatchingSignature,
                "No v1 signature in webhook-signature matches the body under this endpoint's secret: it is not from Handoff, was altered on the way, or was signed with another secret.");
        }

        return Event(id, signedAt, body);
    }

    private static HandoffWebhookEvent Event(string id, DateTimeOffset signedAt, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                throw new HandoffWebhookException(HandoffWebhookFailure.InvalidBody, "The body is not a Handoff event: a JSON object with a string \"type\".");
            }

            var at = root.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind == JsonValueKind.String && timestamp.TryGetDateTimeOffset(out var happened)
                ? happened
                : signedAt;
            var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
            return new HandoffWebhookEvent(id, type.GetString()!, at, data);
        }
        catch (JsonException e)
        {
            throw new HandoffWebhookException(HandoffWebhookFailure.InvalidBody, $"The body is not JSON: {e.Message}", e);
        }
    }

    private static string Required(Func<string, string?> header, string name)
    {
        var value = header(name);
        return string.IsNullOrWhiteSpace(value)
            ? throw new HandoffWebhookException(HandoffWebhookFailure.MissingHeader, $"The {name} header is missing: this is not a Handoff webhook.")
            : value;
    }

    private static string? Find(IReadOnlyDictionary<string, string> headers, string name)
    {
        if (headers.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var (key, v) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }

    private static byte[] Key(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new ArgumentException("A webhook secret is empty; it is whsec_ followed by base64, as Handoff showed it.", nameof(secret));
        }

        var encoded = secret.Trim();
        encoded = encoded.StartsWith(SecretPrefix, StringComparison.Ordinal) ? encoded[SecretPrefix.Length..] : encoded;
        try
        {
            var key = Convert.FromBase64String(encoded);
            return key.Length > 0 ? key : throw new ArgumentException("A webhook secret has no key after whsec_.", nameof(secret));
        }
        catch (FormatException e)
        {
            throw new ArgumentException("A webhook secret is not whsec_ followed by base64, as Handoff showed it.", nameof(secret), e);
        }
    }
}
