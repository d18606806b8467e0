using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Handoff.Core.Notifications.Slack;

/// <summary>What checking a request's Slack signature found.</summary>
public enum SlackSignatureCheck
{
    /// <summary>Signed with the secret, within the replay window.</summary>
    Valid,
    /// <summary>A header is missing or not of Slack's form (a Unix time; <c>v0=</c> and hex).</summary>
    Malformed,
    /// <summary>The timestamp is more than <see cref="SlackSignature.ReplayWindow"/> from now: possibly a replay.</summary>
    Stale,
    /// <summary>The signature is not the body's under this secret.</summary>
    Mismatch,
}

/// <summary>
/// Slack's request signing (api.slack.com/authentication/verifying-requests-from-slack): the
/// <c>X-Slack-Signature</c> header is <c>v0=</c> and the hex HMAC-SHA256, keyed with the app's signing secret, of
/// <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c>. Pure; thread-safe.
/// </summary>
public static class SlackSignature
{
    /// <summary>How far a request's timestamp may be from now, either way, as Slack recommends: 5 minutes.</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Checks <paramref name="signatureHeader"/> against <paramref name="rawBody"/> (the bytes as received, before any
    /// parsing) and <paramref name="timestampHeader"/>; the comparison takes the same time wherever they differ.
    /// </summary>
    public static SlackSignatureCheck Verify(string signingSecret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> rawBody, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingSecret);
        if (timestampHeader is null || signatureHeader is null
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !signatureHeader.StartsWith("v0=", StringComparison.Ordinal))
        {
            return SlackSignatureCheck.Malformed;
        }

        // Out of DateTimeOffset's range is as stale as can be.
        if (seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds() || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > ReplayWindow)
        {
            return SlackSignatureCheck.Stale;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(signingSecret, timestampHeader, rawBody));
        var given = Encoding.ASCII.GetBytes(signatureHeader.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SlackSignatureCheck.Valid : SlackSignatureCheck.Mismatch;
    }

    // v0= and the lowercase hex HMAC-SHA256 of "v0:{timestamp}:{body}".
    private static string Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), message));
    }
}
