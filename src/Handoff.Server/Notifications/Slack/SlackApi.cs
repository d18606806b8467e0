using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Handoff.Server.Notifications.Slack;

/// <summary>
/// The few Slack Web API methods Handoff calls — <c>chat.postMessage</c>, <c>chat.update</c>, <c>views.open</c>,
/// <c>users.info</c> — with the workspace's bot token against its configured base URL, and plain posts to incoming
/// webhooks and interactions' <c>response_url</c>s. Never throws for Slack's answer or the network (each call returns
/// a <see cref="SlackApiResult"/>); only cancellation through the token propagates. Thread-safe.
/// </summary>
internal sealed class SlackApi(IHttpClientFactory clients, TimeProvider time)
{
    /// <summary>The name of the HttpClient this takes from the factory (10 s timeout, no redirects).</summary>
    public const string HttpClientName = "handoff.slack";

    private const int ExcerptLength = 300;

    // Errors trying again cannot fix: the token, the app's scopes, the channel, or the payload itself is wrong. Any
    // other error (internal_error, ratelimited, one Slack adds later) is tried again on the worker's schedule.
    private static readonly HashSet<string> PermanentErrors = new(StringComparer.Ordinal)
    {
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "no_permission", "missing_scope",
        "not_allowed_token_type", "org_login_required", "ekm_access_denied", "team_access_not_granted", "access_denied",
        "channel_not_found", "not_in_channel", "is_archived", "restricted_action", "restricted_action_read_only_channel",
        "invalid_blocks", "invalid_blocks_format", "msg_too_long", "msg_blocks_too_long", "no_text", "invalid_arguments",
        "invalid_arg_name", "invalid_json", "json_not_object", "invalid_form_data", "message_not_found", "cant_update_message",
        "edit_window_closed", "expired_trigger_id", "invalid_trigger_id", "exchanged_trigger_id", "user_not_found",
        "method_deprecated", "deprecated_endpoint",
    };

    public Task<SlackApiResult> PostMessageAsync(SlackSettings settings, string channel, string message, CancellationToken cancellationToken) =>
        CallAsync(settings, "chat.postMessage", With(message, ("channel", channel), ("unfurl_links", false), ("unfurl_media", false)), cancellationToken);

    public Task<SlackApiResult> UpdateMessageAsync(SlackSettings settings, string channel, string ts, string message, CancellationToken cancellationToken) =>
        CallAsync(settings, "chat.update", With(message, ("channel", channel), ("ts", ts)), cancellationToken);

    public Task<SlackApiResult> OpenViewAsync(SlackSettings settings, string triggerId, string view, CancellationToken cancellationToken) =>
        CallAsync(settings, "views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = JsonNode.Parse(view) }, cancellationToken);

    /// <summary>A Slack user; their e-mail is <c>user.profile.email</c> (needs the <c>users:read.email</c> scope).</summary>
    public Task<SlackApiResult> UserInfoAsync(SlackSettings settings, string userId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(settings.ApiBaseUrl), $"users.info?user={Uri.EscapeDataString(userId)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.BotToken);
        return SendAsync(request, webApi: true, cancellationToken);
    }

    /// <summary>
    /// Posts <paramref name="json"/> to an incoming webhook or a <c>response_url</c>, which answer <c>ok</c> as text and
    /// errors (<c>invalid_payload</c>, <c>no_service</c>) with a 4xx status.
    /// </summary>
    public Task<SlackApiResult> PostToUrlAsync(Uri url, string json, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, webApi: false, cancellationToken);

    private Task<SlackApiResult> CallAsync(SlackSettings settings, string method, JsonObject body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(settings.ApiBaseUrl), method))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.BotToken);
        return SendAsync(request, webApi: true, cancellationToken);
    }

    private async Task<SlackApiResult> SendAsync(HttpRequestMessage request, bool webApi, CancellationToken cancellationToken)
    {
        using var _ = request;
        var started = time.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var latency = time.GetElapsedTime(started);
            var status = (int)response.StatusCode;
            var excerpt = text.Length <= ExcerptLength ? text : text[..ExcerptLength];
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return new SlackApiResult(false, status, latency, "ratelimited", Excerpt: excerpt, RetryAfter: RetryAfter(response));
            }

            if (!webApi)
            {
                // Incoming webhooks: 2xx is delivered; 4xx names what is wrong with the hook or the payload.
                return response.IsSuccessStatusCode
                    ? new SlackApiResult(true, status, latency, Excerpt: excerpt)
                    : new SlackApiResult(false, status, latency, string.IsNullOrWhiteSpace(excerpt) ? $"HTTP {status}" : excerpt.Trim(), Excerpt: excerpt, Permanent: status < 500);
            }

            if (!TryParse(text, out var body) || !body.TryGetProperty("ok", out var ok) || ok.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return new SlackApiResult(false, status, latency, $"HTTP {status}, not an answer of Slack's Web API", Excerpt: excerpt, Permanent: status is >= 400 and < 500);
            }

            if (ok.GetBoolean())
            {
                return new SlackApiResult(true, status, latency, Body: body, Excerpt: excerpt);
            }

            var error = body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "unknown_error";
            return new SlackApiResult(false, status, latency, error, body, excerpt, PermanentErrors.Contains(error), error == "ratelimited" ? RetryAfter(response) : null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SlackApiResult(false, null, time.GetElapsedTime(started), "timed out");
        }
        catch (HttpRequestException e)
        {
            return new SlackApiResult(false, null, time.GetElapsedTime(started), $"could not reach Slack: {e.Message}");
        }
    }

    private static JsonObject With(string message, params ReadOnlySpan<(string Name, JsonNode? Value)> fields)
    {
        var body = JsonNode.Parse(message)!.AsObject();
        foreach (var (name, value) in fields)
        {
            body[name] = value;
        }

        return body;
    }

    private static bool TryParse(string text, out JsonElement body)
    {
        try
        {
            body = JsonElement.Parse(text);
            return body.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            body = default;
            return false;
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
