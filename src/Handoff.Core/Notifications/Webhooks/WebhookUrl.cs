using System.Diagnostics.CodeAnalysis;

namespace Handoff.Core.Notifications.Webhooks;

/// <summary>
/// The rules for a URL that webhooks or callbacks are posted to: absolute <c>http</c> or <c>https</c>, with a host,
/// without user info (credentials in a URL end up in logs, and <c>https://good.example@evil.example</c> misleads the
/// reader) or fragment, at most <see cref="MaxLength"/> characters. Where it resolves to is checked when sending, by
/// <see cref="WebhookAddressPolicy"/>: a name's addresses can change after it was accepted.
/// </summary>
public static class WebhookUrl
{
    /// <summary>The longest URL accepted.</summary>
    public const int MaxLength = 2048;

    /// <summary>Reads and checks a URL; on failure <paramref name="error"/> says what is wrong, for people.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Uri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "A URL is required.";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"The URL is {text.Length} characters; at most {MaxLength} are accepted.";
            return false;
        }

        // On Unix "/hooks" is an absolute file path to Uri; for people it is a relative URL.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || (parsed.IsFile && !text.TrimStart().StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
        {
            error = "The URL must be absolute, such as https://example.com/hooks/handoff.";
            return false;
        }

        error = Problem(parsed);
        uri = error is null ? parsed : null;
        return error is null;
    }

    /// <summary>What is wrong with <paramref name="uri"/>, for people; null when nothing is.</summary>
    public static string? Problem(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            return "The URL must be absolute, such as https://example.com/hooks/handoff.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"The URL's scheme is '{uri.Scheme}'; webhooks are posted over http or https only.";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "The URL has no host.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "The URL must not carry user info (user:password@): sign-in details in a URL end up in logs. The signature proves who sent it.";
        }

        if (uri.Fragment.Length > 0)
        {
            return "The URL must not have a fragment (#…): it is never sent to the receiver.";
        }

        return uri.OriginalString.Length > MaxLength ? $"The URL is longer than {MaxLength} characters." : null;
    }
}
