using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Handoff.Core.Routing;

namespace Handoff.Core.Notifications.Webhooks;

/// <summary>
/// Standard Webhooks signatures (symmetric, <c>v1</c>): HMAC-SHA256, keyed by the secret, of
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c> in UTF-8, sent base64-encoded as <c>v1,&lt;signature&gt;</c>. While a
/// secret is being rotated a delivery carries one signature per secret in force, space-separated, and a receiver
/// accepts it when any one matches a secret it holds.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The only signature scheme Handoff sends and accepts: symmetric HMAC-SHA256.</summary>
    public const string Version = "v1";

    /// <summary>
    /// How far a delivery's timestamp may be from the receiver's clock, either way. The default value is 5 minutes,
    /// as in the spec's reference libraries: long enough for clock drift, short enough that a captured delivery cannot
    /// be replayed later.
    /// </summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const int MacBytes = 32;

    /// <summary>The signature, <c>v1,&lt;base64&gt;</c>, of one delivery under one secret.</summary>
    /// <param name="id">The event's id; not empty, and without a <c>.</c> (the spec's rule: the id and timestamp delimit the signed content).</param>
    /// <param name="timestamp">When this attempt is made; signed in whole seconds.</param>
    /// <param name="body">The body exactly as sent, byte for byte once encoded in UTF-8.</param>
    public static string Sign(WebhookSecret secret, string id, DateTimeOffset timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Version + "," + Convert.ToBase64String(Mac(secret, id, Seconds(id, timestamp, body), body));
    }

    /// <summary>The <c>webhook-signature</c> header's value: a signature by each of <paramref name="secrets"/>, in their order, space-separated.</summary>
    public static string SignatureHeader(IReadOnlyList<WebhookSecret> secrets, string id, DateTimeOffset timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("At least one secret is needed to sign a webhook.", nameof(secrets));
        }

        return string.Join(' ', secrets.Select(s => Sign(s, id, timestamp, body)));
    }

    /// <summary>The three headers of one delivery: <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(IReadOnlyList<WebhookSecret> secrets, string id, DateTimeOffset timestamp, string body)
    {
        var signature = SignatureHeader(secrets, id, timestamp, body);
        return
        [
            new(WebhookHeaders.Id, id),
            new(WebhookHeaders.Timestamp, timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            new(WebhookHeaders.Signature, signature),
        ];
    }

    /// <summary>
    /// Checks a delivery as a receiver would: the three headers are present, the timestamp is within
    /// <paramref name="tolerance"/> of <paramref name="now"/>, and some <c>v1</c> signature matches the body under some
    /// secret (compared in constant time). Header names are matched without regard to case.
    /// </summary>
    /// <param name="tolerance">The default is <see cref="DefaultTolerance"/>.</param>
    public static WebhookVerification Verify(
        IReadOnlyList<WebhookSecret> secrets, IReadOnlyDictionary<string, string> headers, string body, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return Verify(secrets, name => Find(headers, name), body, now, tolerance);
    }

    /// <summary>As the other overload, reading each header through <paramref name="header"/> (null when absent).</summary>
    public static WebhookVerification Verify(
        IReadOnlyList<WebhookSecret> secrets, Func<string, string?> header, string body, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(body);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("At least one secret is needed to verify a webhook.", nameof(secrets));
        }

        var window = tolerance ?? DefaultTolerance;
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero, nameof(tolerance));

        var id = header(WebhookHeaders.Id);
        var timestampText = header(WebhookHeaders.Timestamp);
        var signatures = header(WebhookHeaders.Signature);
        foreach (var (name, value) in (ReadOnlySpan<(string, string?)>)[(WebhookHeaders.Id, id), (WebhookHeaders.Timestamp, timestampText), (WebhookHeaders.Signature, signatures)])
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return WebhookVerification.Fail(WebhookVerificationFailure.MissingHeader, $"The {name} header is missing.");
            }
        }

        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return WebhookVerification.Fail(WebhookVerificationFailure.BadTimestamp,
                $"The {WebhookHeaders.Timestamp} header '{Shortened(timestampText!)}' is not a Unix time in seconds.");
        }

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (timestamp < now - window)
        {
            return WebhookVerification.Fail(WebhookVerificationFailure.TooOld,
                $"It was signed {Duration(now - timestamp)} ago, more than the {Duration(window)} allowed: a replay, or a clock behind.", timestamp);
        }

        if (timestamp > now + window)
        {
            return WebhookVerification.Fail(WebhookVerificationFailure.TooNew,
                $"It claims to be signed {Duration(timestamp - now)} from now, more than the {Duration(window)} allowed: a clock ahead.", timestamp);
        }

        var expected = secrets.Select(s => Mac(s, id!, seconds, body)).ToArray();
        Span<byte> given = stackalloc byte[MacBytes];
        var matched = false;
        foreach (var part in signatures!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            // Other schemes (v1a, future versions) may sit beside ours during a migration: skipped, not failed.
            if (comma < 0 || !part.AsSpan(0, comma).SequenceEqual(Version)
                || !Convert.TryFromBase64String(part[(comma + 1)..], given, out var length) || length != MacBytes)
            {
                continue;
            }

            foreach (var mac in expected)
            {
                // Every candidate is compared in full, in constant time: how far a forgery got must not show in the timing.
                matched |= CryptographicOperations.FixedTimeEquals(mac, given);
            }
        }

        return matched
            ? new WebhookVerification(WebhookVerificationFailure.None, null, timestamp)
            : WebhookVerification.Fail(WebhookVerificationFailure.NoMatchingSignature,
                $"No {Version} signature in {WebhookHeaders.Signature} matches the body under the {(secrets.Count == 1 ? "secret" : $"{secrets.Count} secrets")} given.", timestamp);
    }

    private static long Seconds(string id, DateTimeOffset timestamp, string body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(body);
        if (id.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException("A webhook id must not contain '.': it delimits the signed content.", nameof(id));
        }

        var seconds = timestamp.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(seconds, nameof(timestamp));
        return seconds;
    }

    // Encoding.UTF8 replaces a lone surrogate with U+FFFD, as the HTTP content encoder does: what is signed is what is sent.
    private static byte[] Mac(WebhookSecret secret, string id, long seconds, string body) =>
        HMACSHA256.HashData(secret.Key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{seconds}.{body}")));

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

    // Seconds matter here: "5 min 1 s ago" is why a delivery 301 s old was refused with a 5 min tolerance.
    private static string Duration(TimeSpan duration)
    {
        var seconds = (long)Math.Floor(duration.TotalSeconds);
        return seconds switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds} s"),
            < 3600 when seconds % 60 == 0 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} min"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} min {seconds % 60} s"),
            _ => WaitEstimator.Format(duration),
        };
    }

    private static string Shortened(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 39), "…");
}
