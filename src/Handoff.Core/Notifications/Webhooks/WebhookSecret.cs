using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Handoff.Core.Notifications.Webhooks;

/// <summary>
/// A key that signs webhooks, in the Standard Webhooks form: <c>whsec_</c> followed by the key's bytes in base64. The
/// spec asks for at least 24 random bytes and at most 64 (512 bits); Handoff makes 32.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> hides the key so that a secret logged by accident is not a secret leaked; <see cref="Text"/>
/// is the full form to store and to show the endpoint's owner.
/// </remarks>
public sealed class WebhookSecret
{
    /// <summary>What every serialized secret starts with.</summary>
    public const string Prefix = "whsec_";

    /// <summary>The fewest key bytes the spec allows (192 bits).</summary>
    public const int MinKeyBytes = 24;

    /// <summary>The most key bytes the spec allows (512 bits).</summary>
    public const int MaxKeyBytes = 64;

    /// <summary>How many bytes <see cref="Generate"/> makes unless asked otherwise.</summary>
    public const int DefaultKeyBytes = 32;

    private readonly byte[] _key;

    private WebhookSecret(byte[] key)
    {
        _key = key;
        Text = Prefix + Convert.ToBase64String(key);
    }

    /// <summary>The serialized secret, <c>whsec_…</c>.</summary>
    public string Text { get; }

    /// <summary>The HMAC key.</summary>
    public ReadOnlySpan<byte> Key => _key;

    /// <summary>A new secret of <paramref name="keyBytes"/> bytes from the operating system's cryptographic generator.</summary>
    public static WebhookSecret Generate(int keyBytes = DefaultKeyBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keyBytes, MinKeyBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keyBytes, MaxKeyBytes);
        return new(RandomNumberGenerator.GetBytes(keyBytes));
    }

    /// <summary>Reads a <c>whsec_…</c> secret.</summary>
    /// <exception cref="FormatException">It is not one, with what is wrong.</exception>
    public static WebhookSecret Parse(string text) =>
        TryParse(text, out var secret, out var error) ? secret : throw new FormatException(error);

    /// <summary>Reads a <c>whsec_…</c> secret; on failure <paramref name="error"/> says what is wrong, for people.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out WebhookSecret? secret, [NotNullWhen(false)] out string? error)
    {
        secret = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "A webhook secret is required (whsec_ followed by base64).";
            return false;
        }

        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = "A webhook secret starts with whsec_.";
            return false;
        }

        var encoded = text.AsSpan(Prefix.Length);
        // Room for the longest allowed key; anything longer fails to decode into it and is reported below.
        Span<byte> buffer = stackalloc byte[MaxKeyBytes + 3];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var length))
        {
            error = encoded.Length > (MaxKeyBytes + 2) / 3 * 4
                ? $"The webhook secret's key is longer than {MaxKeyBytes} bytes."
                : "The webhook secret's key after whsec_ is not valid base64.";
            return false;
        }

        if (length < MinKeyBytes || length > MaxKeyBytes)
        {
            error = $"The webhook secret's key is {length} bytes; Standard Webhooks keys are {MinKeyBytes} to {MaxKeyBytes} bytes.";
            return false;
        }

        secret = new WebhookSecret(buffer[..length].ToArray());
        error = null;
        return true;
    }

    /// <summary><c>whsec_</c> and an ellipsis: the key itself stays out of logs. Use <see cref="Text"/> for the full form.</summary>
    public override string ToString() => Prefix + "…";
}
