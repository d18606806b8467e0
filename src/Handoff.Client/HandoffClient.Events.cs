using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Handoff.Client;

public sealed partial class HandoffClient
{
    // The event after a closed case's last entry (its data is the final status); not an entry of the history.
    private const string EndEvent = "end";

    /// <summary>
    /// Follows a case's events (<c>GET /v1/cases/{id}/events</c>): first its history, then each new entry as it
    /// happens, ending once the case is closed (the server's <c>end</c> event, or 204 when everything was delivered
    /// before). A connection that drops or a server that restarts is reconnected with backoff, resuming after the last
    /// event received (<c>Last-Event-ID</c>), so no event is lost or repeated. An escalated case is still open: its
    /// stream goes on, and so does a taken-over one (<c>case.takenOver</c>, <c>case.message</c> with
    /// <see cref="CaseEvent.MessageText"/>, then <c>case.handedBack</c>).
    /// </summary>
    /// <param name="caseId">The case.</param>
    /// <param name="afterSequence">Start after this event's <see cref="CaseEvent.Sequence"/>; null for the whole history.</param>
    /// <param name="cancellationToken">Stops following; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="HandoffProblemException">404 when the case is not in the key's workspace; 401/403 for the key.</exception>
    public async IAsyncEnumerable<CaseEvent> StreamEventsAsync(
        string caseId, long? afterSequence = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        var last = afterSequence;
        var failures = 0;
        while (true)
        {
            using var response = await OpenEventsAsync(CasePath(caseId) + "/events", last, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                yield break;
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var broken = false;
            var ended = false;
            try
            {
                var events = SseParser.Create(stream, (type, data) => type == EndEvent ? null : JsonSerializer.Deserialize<CaseEvent>(data, ClientJson.Options))
                    .EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                await using (events.ConfigureAwait(false))
                {
                    while (true)
                    {
                        if (await NextAsync(events, cancellationToken).ConfigureAwait(false) is not true and var next)
                        {
                            broken = next is null;
                            break;
                        }

                        if (events.Current.EventType == EndEvent)
                        {
                            ended = true;
                            break;
                        }

                        if (events.Current.Data is { } item)
                        {
                            last = item.Sequence;
                            failures = 0;
                            yield return item;
                        }
                    }
                }
            }
            finally
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            if (ended)
            {
                yield break;
            }

            // The server ends the stream of a closed case with its end event. A stream that ends without one was cut by
            // something in between, and is picked up again like a broken one, unless the case is closed (a server from
            // before the end event ends a closed case's stream with nothing).
            if (!broken && !await StillOpenAsync(caseId, cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }

            await Task.Delay(Backoff(++failures, null), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Follows every case of the key (<c>GET /v1/events</c>): an agent key's, the cases it submitted; a reviewer's or
    /// admin's, the workspace's. Each event names its <see cref="CaseEvent.CaseId"/>. It starts now, or after
    /// <paramref name="afterSequence"/> (0: the start of the log), and goes on until cancelled: a connection that drops
    /// or a server that restarts is reconnected with backoff after the last event received, so none is lost or repeated.
    /// Cases do not end it: a case's <c>case.decided</c>, <c>case.handedBack</c> or non-escalating <c>case.expired</c>
    /// closes that case. Start following before submitting, so that no decision falls between the two.
    /// </summary>
    /// <param name="afterSequence">Start after this event's <see cref="CaseEvent.Sequence"/>; null for from now on.</param>
    /// <param name="cancellationToken">Stops following; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="HandoffProblemException">401/403 for the key.</exception>
    public async IAsyncEnumerable<CaseEvent> StreamAllEventsAsync(long? afterSequence = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var last = afterSequence;
        var failures = 0;
        while (true)
        {
            using (var response = await OpenEventsAsync("v1/events", last, cancellationToken).ConfigureAwait(false))
            {
                var stream = await response!.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    // The server names its position with an id and no event (at the start and with each keep-alive):
                    // a reconnect resumes from the parser's last id, even before the first event of this key's cases.
                    // The parser reads whole blocks only, so that id is never one of an event cut off mid-way.
                    var parser = SseParser.Create(new WholeBlocksStream(stream), static (_, data) => JsonSerializer.Deserialize<CaseEvent>(data, ClientJson.Options));
                    var events = parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                    await using (events.ConfigureAwait(false))
                    {
                        while (true)
                        {
                            if (await NextAsync(events, cancellationToken).ConfigureAwait(false) is not true)
                            {
                                break;
                            }

                            if (events.Current.Data is { } item)
                            {
                                last = item.Sequence;
                                failures = 0;
                                yield return item;
                            }
                        }
                    }

                    if (long.TryParse(parser.LastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position > (last ?? -1))
                    {
                        last = position;
                    }
                }
            }

            // This stream never ends by itself: whatever ended it was in between.
            await Task.Delay(Backoff(++failures, null), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The stream's next event: true when there is one, false when it ended, null when the connection broke.</summary>
    private static async ValueTask<bool?> NextAsync<T>(IAsyncEnumerator<SseItem<T>> events, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsPassing(e, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>
    /// Connects, retrying passing failures for as long as the token allows; hands back the 200 whose body is the
    /// stream, or null for 204: the case is closed and every event after <paramref name="after"/> was delivered.
    /// </summary>
    private async Task<HttpResponseMessage?> OpenEventsAsync(string path, long? after, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            TimeSpan? retryAfter = null;
            HttpResponseMessage? response = null;
            try
            {
                using var request = NewRequest(HttpMethod.Get, path);
                request.Headers.Accept.ParseAdd("text/event-stream");
                if (after is { } sequence)
                {
                    request.Headers.TryAddWithoutValidation("Last-Event-ID", sequence.ToString(CultureInfo.InvariantCulture));
                }

                // The timeout covers the headers only: with ResponseHeadersRead the body is read on its own.
                using (var timeoutSource = new CancellationTokenSource(_requestTimeout, _time))
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token))
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                }

                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var open = response;
                    response = null; // the caller owns it now
                    return open;
                }

                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return null;
                }

                var reply = new Reply(response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), response.ReasonPhrase, false);
                if (!IsPassing(response.StatusCode))
                {
                    throw Problems.From(reply);
                }

                retryAfter = RetryAfter(response.Headers.RetryAfter);
                failure = Problems.From(reply);
            }
            catch (Exception e) when (IsPassing(e, cancellationToken))
            {
                failure = e;
            }
            finally
            {
                response?.Dispose();
            }

            var delay = Backoff(attempt, retryAfter);
            Log.Retrying(_logger, "GET", path, failure.Message, delay, attempt);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the case is still open; a server out of reach counts as open, so that following goes on.</summary>
    private async Task<bool> StillOpenAsync(string caseId, CancellationToken cancellationToken)
    {
        try
        {
            return IsOpen((await GetCaseAsync(caseId, cancellationToken).ConfigureAwait(false)).Status);
        }
        catch (Exception e) when (IsPassing(e, cancellationToken) || e is HandoffProblemException { Status: >= HttpStatusCode.InternalServerError })
        {
            return true;
        }
    }

    private static bool IsOpen(CaseStatus status) => status is CaseStatus.Pending or CaseStatus.Assigned or CaseStatus.Escalated or CaseStatus.TakenOver;
}
