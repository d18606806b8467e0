using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Handoff.Client;

public sealed partial class HandoffClient
{
    /// <summary>
    /// Adds what the customer said to the case's transcript, for the person who took the conversation over (or will).
    /// Taken while the case is open, whoever owns it.
    /// </summary>
    /// <remarks>
    /// Sent once, not retried: a message is not idempotent, and a try whose answer was lost may have been added. After
    /// a failure, <see cref="WaitForMessagesAsync"/> with the last number you have shows whether it was.
    /// </remarks>
    /// <returns>The message as stored, with its number.</returns>
    /// <exception cref="HandoffProblemException">409 when the case is closed; 400 naming <c>text</c> (empty, or over 8,000
    /// characters); 404 when the case is not in the key's workspace; 401/403 for the key.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">It took longer than <see cref="HandoffClientOptions.RequestTimeout"/>.</exception>
    public Task<CaseMessage> PostCustomerMessageAsync(string caseId, string text, CancellationToken cancellationToken = default) =>
        PostMessageAsync(caseId, "customer", text, cancellationToken);

    /// <summary>
    /// Adds the agent's own reply to the transcript. Refused with 409 while a person owns the conversation
    /// (<see cref="CaseStatus.TakenOver"/>): then relay, do not answer. Sent once, as
    /// <see cref="PostCustomerMessageAsync"/> is.
    /// </summary>
    /// <exception cref="HandoffProblemException">409 while a person owns the conversation or when the case is closed;
    /// otherwise as <see cref="PostCustomerMessageAsync"/>.</exception>
    public Task<CaseMessage> PostAgentMessageAsync(string caseId, string text, CancellationToken cancellationToken = default) =>
        PostMessageAsync(caseId, "agent", text, cancellationToken);

    /// <summary>
    /// Waits, one long-poll of <see cref="HandoffClientOptions.LongPollWait"/>, for messages numbered above
    /// <paramref name="after"/>: it answers as soon as there is one, when the case changes status (a takeover begins or
    /// ends) or closes, or with no messages when the wait runs out. Passing failures are retried with backoff, as the
    /// decision's wait is.
    /// </summary>
    /// <param name="caseId">The case.</param>
    /// <param name="after">The number of the last message you have (0 for all).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="HandoffProblemException">404 when the case is not in the key's workspace; 401/403 for the key.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<CaseMessages> WaitForMessagesAsync(string caseId, int after = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        var path = CasePath(caseId) + "/messages?after=" + after.ToString(CultureInfo.InvariantCulture)
            + "&wait=" + _waitSeconds.ToString(CultureInfo.InvariantCulture);
        var timeout = TimeSpan.FromSeconds(_waitSeconds) + _requestTimeout;
        var reply = await SendAsync(HttpMethod.Get, path, null, null, timeout, maxAttempts: null, cancellationToken).ConfigureAwait(false);
        return reply.Status == HttpStatusCode.OK ? Read<CaseMessages>(reply) : throw Problems.From(reply);
    }

    private async Task<CaseMessage> PostMessageAsync(string caseId, string role, string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        ArgumentNullException.ThrowIfNull(text);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { role, text }, ClientJson.Options);
        var reply = await SendAsync(HttpMethod.Post, CasePath(caseId) + "/messages", body, null, _requestTimeout, maxAttempts: 1, cancellationToken).ConfigureAwait(false);
        return reply.Status == HttpStatusCode.Created ? Read<CaseMessage>(reply) : throw Problems.From(reply);
    }
}
