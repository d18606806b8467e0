using KnownEventTypes = Handoff.Core.Notifications.EventTypes;

namespace Handoff.Server.Api;

/// <summary>
/// The rules for a webhook endpoint's URL, event types and description, naming each field that is wrong. The API and
/// the dashboard's webhook forms both check through here, so an endpoint one accepts the other accepts too.
/// </summary>
internal static class WebhookValidator
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 200;

    /// <summary>The URL, or null when it is absent (an error if <paramref name="required"/>) or wrong.</summary>
    public static string? Url(string? url, ValidationErrors errors, bool required)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (url is null)
        {
            if (required)
            {
                errors.Add("url", "Required: the absolute http or https URL to post events to.");
            }

            return null;
        }

        if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            errors.Add("url", $"Must be an absolute http or https URL without user info or fragment, at most {MaxUrlLength} characters.");
            return null;
        }

        return url;
    }

    /// <summary>The event types without repeats, or null when they are absent (an error if <paramref name="required"/>) or wrong.</summary>
    public static string[]? EventTypes(IReadOnlyList<string?>? types, ValidationErrors errors, bool required)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (types is null)
        {
            if (required)
            {
                errors.Add("eventTypes", $"Required: the event types to receive, some of: {string.Join(", ", KnownEventTypes.All)}.");
            }

            return null;
        }

        if (types.Count == 0)
        {
            errors.Add("eventTypes", "At least one event type.");
            return null;
        }

        for (var i = 0; i < types.Count; i++)
        {
            if (types[i] is not { } type || !KnownEventTypes.IsKnown(type))
            {
                errors.Add($"eventTypes[{i}]", $"'{types[i]}' is not an event type; one of: {string.Join(", ", KnownEventTypes.All)}.");
            }
        }

        return [.. types.OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    public static void Description(string? description, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (description is { Length: > MaxDescriptionLength })
        {
            errors.Add("description", $"At most {MaxDescriptionLength} characters.");
        }
    }

    /// <summary>The description as stored: trimmed, and null when there is nothing but spaces.</summary>
    public static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
