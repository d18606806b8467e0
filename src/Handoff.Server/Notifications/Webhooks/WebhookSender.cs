using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Handoff.Core.Notifications.Webhooks;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications.Webhooks;

/// <summary>
/// Posts one webhook attempt, signed per Standard Webhooks, and says how it went. Never throws for the receiver's
/// fault — a refused address, a timeout, a reset, any status — only when <c>cancellationToken</c> is cancelled
/// (the worker shutting down) or for a caller's mistake (no secret). Thread-safe: one instance serves every delivery.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    /// <summary>The longest excerpt of an answer kept for the delivery log.</summary>
    public const int MaxExcerptLength = 500;

    /// <summary>What the requests say they are.</summary>
    public const string UserAgent = "Handoff-Webhooks/1";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _options.Validate();
        _time = time;
        // The attempt's own timeout (on the TimeProvider) bounds it; HttpClient's would be a second, untestable clock.
        _client = new HttpClient(WebhookHttp.CreateHandler(_options.AddressPolicy())) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// POSTs <paramref name="body"/> to <paramref name="url"/> as <c>application/json</c> with the <c>webhook-id</c>,
    /// <c>webhook-timestamp</c> and <c>webhook-signature</c> headers (one signature per secret in force).
    /// </summary>
    /// <param name="eventId">The event's stable id, the same on every attempt (<c>webhook-id</c>).</param>
    /// <param name="timestamp">When this attempt is made: the spec signs the attempt's time, so a retry is not a stale replay.</param>
    /// <param name="secrets">The <c>whsec_</c> secrets in force, newest first.</param>
    public async Task<DeliveryOutcome> SendAsync(
        Uri url, string eventId, DateTimeOffset timestamp, string body, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(secrets);
        var started = _time.GetTimestamp();
        if (WebhookUrl.Problem(url) is { } bad)
        {
            return DeliveryOutcome.Failed(bad, TimeSpan.Zero, permanent: true);
        }

        var keys = new List<WebhookSecret>(secrets.Count);
        foreach (var text in secrets)
        {
            if (!WebhookSecret.TryParse(text, out var secret, out var error))
            {
                return DeliveryOutcome.Failed($"the endpoint's secret is unusable: {error}", TimeSpan.Zero, permanent: true);
            }

            keys.Add(secret);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = Json;
        request.Headers.UserAgent.ParseAdd(UserAgent);
        foreach (var (name, value) in WebhookSignature.Headers(keys, eventId, timestamp, body))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var excerpt = await ExcerptAsync(response.Content, linked.Token).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return Outcome(response, excerpt, _time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Failed($"timed out after {Seconds(_options.Timeout)}", _time.GetElapsedTime(started));
        }
        catch (HttpRequestException e)
        {
            var latency = _time.GetElapsedTime(started);
            return Find<RefusedAddressException>(e) is { } refused
                ? DeliveryOutcome.Failed(refused.Message, latency, permanent: true)
                : DeliveryOutcome.Failed(Describe(e, url), latency);
        }
        catch (IOException e)
        {
            return DeliveryOutcome.Failed($"the connection failed: {e.Message}", _time.GetElapsedTime(started));
        }
    }

    public void Dispose() => _client.Dispose();

    private DeliveryOutcome Outcome(HttpResponseMessage response, string? excerpt, TimeSpan latency)
    {
        var status = (int)response.StatusCode;
        var answered = $"the receiver answered {status}{(string.IsNullOrEmpty(response.ReasonPhrase) ? "" : " " + response.ReasonPhrase)}";
        switch (WebhookRetry.Classify(status))
        {
            case WebhookAnswer.Delivered:
                return DeliveryOutcome.Ok(status, latency, excerpt);
            case WebhookAnswer.Gone:
                return new DeliveryOutcome(false, status, latency, excerpt, $"{answered}: it wants no more deliveries", Gone: true);
            case WebhookAnswer.Throttled:
                return DeliveryOutcome.Failed(answered, latency, status, excerpt) with { RetryAfter = RetryAfter(response.Headers.RetryAfter) };
            default:
                if (status is >= 300 and <= 399)
                {
                    var to = response.Headers.Location is { } location ? $" to {location}" : "";
                    return DeliveryOutcome.Failed($"{answered}{to}: redirects are not followed; give the endpoint its final URL", latency, status, excerpt);
                }

                return DeliveryOutcome.Failed(answered, latency, status, excerpt);
        }
    }

    // Reads at most MaxResponseBytes; what is left unread is dropped with the connection when the response is disposed.
    private async Task<string?> ExcerptAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = new byte[_options.MaxResponseBytes];
        var read = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int n;
                while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    read += n;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The status has come; an answer cut short (or dribbled past the timeout) still counts by it, with what was read.
        }

        if (read == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, Math.Min(read, MaxExcerptLength * 4));
        return text.Length <= MaxExcerptLength ? text : text[..MaxExcerptLength];
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string Describe(HttpRequestException e, Uri url)
    {
        var where = $"{url.Host}:{url.Port}";
        if (Find<SocketException>(e) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"connection refused ({where})",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"the host name {url.Host} could not be resolved",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => $"{where} is unreachable",
                SocketError.ConnectionReset => $"the connection was reset ({where})",
                _ => $"the connection failed ({where}): {socket.Message}",
            };
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.SecureConnectionError => $"the TLS handshake with {where} failed: {e.InnerException?.Message ?? e.Message}",
            HttpRequestError.ResponseEnded => $"the receiver closed the connection without answering ({where})",
            HttpRequestError.InvalidResponse => $"the receiver's answer is not valid HTTP ({where})",
            HttpRequestError.NameResolutionError => $"the host name {url.Host} could not be resolved",
            _ => $"the request failed ({where}): {e.Message}",
        };
    }

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Seconds(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 && timeout.TotalSeconds % 1 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalMilliseconds:0} ms");
}
