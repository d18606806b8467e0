using System.Text.Json;

namespace Handoff.Server.Notifications.Slack;

/// <summary>
/// How one call to Slack went. Slack's Web API answers HTTP 200 with <c>{"ok":false,"error":"…"}</c> for most errors,
/// so <see cref="Ok"/> is its own verdict, not the status code's.
/// </summary>
/// <param name="Error">Slack's error code (<c>channel_not_found</c>, <c>ratelimited</c>) or what went wrong on the way ("timed out").</param>
/// <param name="Body">The answer's JSON (undefined when it was none: incoming webhooks answer "ok").</param>
/// <param name="Permanent">Trying again cannot help (a bad token, a missing channel, a refused payload).</param>
/// <param name="RetryAfter">Slack asked to wait this long (429 with <c>Retry-After</c>).</param>
internal sealed record SlackApiResult(
    bool Ok,
    int? StatusCode,
    TimeSpan Latency,
    string? Error = null,
    JsonElement Body = default,
    string? Excerpt = null,
    bool Permanent = false,
    TimeSpan? RetryAfter = null)
{
    /// <summary>The string at <paramref name="path"/> in the answer (<c>user</c>, <c>profile</c>, <c>email</c>), or null.</summary>
    public string? Text(params ReadOnlySpan<string> path)
    {
        var current = Body;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.String ? current.GetString() : null;
    }

    /// <summary>The attempt as the delivery worker records it.</summary>
    public DeliveryOutcome ToOutcome(string? reference = null) => Ok
        ? DeliveryOutcome.Ok(StatusCode, Latency, Excerpt, reference)
        : new DeliveryOutcome(false, StatusCode, Latency, Excerpt, Error ?? "failed", Permanent: Permanent, RetryAfter: RetryAfter);
}
