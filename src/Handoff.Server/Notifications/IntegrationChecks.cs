using Handoff.Core.Notifications;
using Handoff.Server.Api;

namespace Handoff.Server.Notifications;

/// <summary>What the Slack and Teams settings have in common: URLs, event types, and showing secrets without them.</summary>
internal static class IntegrationChecks
{
    public const int MaxUrlLength = 2048;

    /// <summary>
    /// An absolute http or https URL without user info or fragment (the rule webhook endpoints follow), or null and
    /// a problem under <paramref name="field"/>.
    /// </summary>
    public static Uri? Url(string? url, string field, ValidationErrors errors)
    {
        if (url is null || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            errors.Add(field, $"Must be an absolute http or https URL without user info or fragment, at most {MaxUrlLength} characters.");
            return null;
        }

        return uri;
    }

    /// <summary>
    /// The event types to post (case events only: each message is about one case), without repeats;
    /// <paramref name="defaults"/> when absent. Problems are named by index (<c>events[2]</c>).
    /// </summary>
    public static IReadOnlyList<string> Events(IReadOnlyList<string?>? events, ValidationErrors errors, IReadOnlyList<string> defaults)
    {
        if (events is null)
        {
            return defaults;
        }

        if (events.Count == 0)
        {
            errors.Add("events", "At least one event type; leave the field out for the defaults.");
            return defaults;
        }

        var caseEvents = EventTypes.All.Where(EventMap.IsAboutACase).ToList();
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is not { } type || !caseEvents.Contains(type, StringComparer.Ordinal))
            {
                errors.Add($"events[{i}]", $"'{events[i]}' is not an event about a case; one of: {string.Join(", ", caseEvents)}.");
            }
        }

        return [.. events.OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A secret as the settings show it: its kind (<c>xoxb-</c>) and last four characters, <c>xoxb-…abcd</c>.</summary>
    public static string Mask(string secret)
    {
        var tail = secret.Length > 8 ? secret[^4..] : "";
        var kind = secret.StartsWith("xox", StringComparison.Ordinal) && secret.IndexOf('-', StringComparison.Ordinal) is > 0 and < 6 and var dash
            ? secret[..(dash + 1)]
            : "";
        return $"{kind}…{tail}";
    }

    /// <summary>
    /// A webhook URL as the settings and the audit log show it: its scheme and host only. The rest of a Slack or Teams
    /// webhook URL is the secret that lets anyone post.
    /// </summary>
    public static string MaskUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/…" : "…";
}
