using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;

namespace Handoff.Client;

public sealed partial class HandoffClient
{
    /// <summary>
    /// Sends a request until it gets an answer that is not a passing failure, or <paramref name="maxAttempts"/> tries
    /// met one (null: no limit, for waits). A passing failure is a connection that could not be made or broke, a try
    /// that took longer than <paramref name="timeout"/>, or 408, 429, 502, 503, 504. The caller's token ends it at once.
    /// </summary>
    private async Task<Reply> SendAsync(
        HttpMethod method, string path, byte[]? json, string? idempotencyKey, TimeSpan timeout, int? maxAttempts, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            TimeSpan? retryAfter = null;
            try
            {
                using var request = NewRequest(method, path);
                if (json is not null)
                {
                    request.Content = new ByteArrayContent(json);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                }

                if (idempotencyKey is not null)
                {
                    request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
                }

                using var timeoutSource = new CancellationTokenSource(timeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
                var reply = new Reply(response.StatusCode, body, response.ReasonPhrase, response.Headers.Contains("Idempotent-Replayed"));
                if (!IsPassing(response.StatusCode))
                {
                    return reply;
                }

                retryAfter = RetryAfter(response.Headers.RetryAfter);
                failure = Problems.From(reply);
            }
            catch (Exception e) when (IsPassing(e, cancellationToken))
            {
                failure = e;
            }

            if (attempt >= maxAttempts)
            {
                // Our own timeout must not pass for the caller's cancellation.
                if (failure is OperationCanceledException)
                {
                    throw new TimeoutException($"Handoff did not answer {method} {path} within {timeout}.", failure);
                }

                ExceptionDispatchInfo.Throw(failure);
            }

            var delay = Backoff(attempt, retryAfter);
            Log.Retrying(_logger, method.Method, path, failure.Message, delay, attempt);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(_root, path));
        if (_apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        return request;
    }

    private static bool IsPassing(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// A broken or refused connection (a server restarting), a body cut short, or a try that ran out of time. A
    /// cancellation is passing only when the caller's token is not the one that fired: then it was our own timeout
    /// (or HttpClient.Timeout).
    /// </summary>
    private static bool IsPassing(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>Exponential backoff with jitter: the pause doubles each try up to the cap, less a random part of up to half.</summary>
    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var ceiling = _retryBaseDelay * Math.Pow(2, Math.Min(attempt - 1, 30));
        if (ceiling > _retryMaxDelay)
        {
            ceiling = _retryMaxDelay;
        }

        var delay = ceiling * (1 - (Random.Shared.NextDouble() / 2));
        return retryAfter is { } asked && asked > delay ? (asked < _retryMaxDelay ? asked : _retryMaxDelay) : delay;
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);
}
