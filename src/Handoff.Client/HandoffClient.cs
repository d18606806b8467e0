using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Handoff.Client;

/// <summary>
/// Talks to a Handoff server for an agent: submit a case, get it, wait for the person's decision, follow its events.
/// Thread safe, and cheap: it keeps no state between calls besides its settings, so one instance may serve any
/// number of concurrent calls. Register it with
/// <see cref="Microsoft.Extensions.DependencyInjection.HandoffClientServiceCollectionExtensions.AddHandoffClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{HandoffClientOptions})"/>,
/// or make one over your own <see cref="HttpClient"/> (give that one an infinite <see cref="HttpClient.Timeout"/>: the
/// client times each request itself, and a long-poll lasts longer than the default 100 seconds allows).
/// </summary>
public sealed partial class HandoffClient
{
    private readonly HttpClient _http;
    private readonly Uri _root;
    private readonly string? _apiKey;
    private readonly int _waitSeconds;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeSpan _retryBaseDelay;
    private readonly TimeSpan _retryMaxDelay;
    private readonly int _maxAttempts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Makes a client over <paramref name="httpClient"/>, which it uses but does not own (nor dispose).</summary>
    /// <param name="httpClient">Sends the requests; its <see cref="HttpClient.BaseAddress"/> is used when the options give none.</param>
    /// <param name="options">Read once, here: later changes to the object have no effect on this client.</param>
    /// <param name="timeProvider">The clock for request timeouts and pauses between retries. <value>The default value is <see cref="TimeProvider.System"/>.</value></param>
    /// <param name="logger">Where retries and refused decisions are logged. <value>The default value is no logging.</value></param>
    /// <exception cref="ArgumentException">The options cannot be used (the message says why).</exception>
    public HandoffClient(HttpClient httpClient, HandoffClientOptions options, TimeProvider? timeProvider = null, ILogger<HandoffClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem(httpClient) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _http = httpClient;
        var root = (options.BaseAddress ?? httpClient.BaseAddress)!.AbsoluteUri;
        _root = new Uri(root.EndsWith('/') ? root : root + "/");
        _apiKey = options.ApiKey;
        _waitSeconds = (int)options.LongPollWait.TotalSeconds;
        _requestTimeout = options.RequestTimeout;
        _retryBaseDelay = options.RetryBaseDelay;
        _retryMaxDelay = options.RetryMaxDelay;
        _maxAttempts = options.MaxAttempts;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Submits a case. The request carries an <c>Idempotency-Key</c> (the caller's, or one made for this call), so a
    /// try that failed in flight (a dropped connection, a 502/503/504, a timeout) is repeated up to
    /// <see cref="HandoffClientOptions.MaxAttempts"/> times without ever creating a second case.
    /// </summary>
    /// <returns>The stored case, with the digest of the proposal computed here for checking its decision later.</returns>
    /// <exception cref="HandoffProblemException">The server refused it: 400 naming each bad field in
    /// <see cref="HandoffProblemException.Errors"/>, 401/403 for the key, 422 for an Idempotency-Key used before with
    /// another case; or the last try's 5xx once the tries ran out.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached in any of the tries.</exception>
    /// <exception cref="TimeoutException">The last try took longer than <see cref="HandoffClientOptions.RequestTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<SubmittedCase> SubmitCaseAsync(CaseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = request.IdempotencyKey ?? "hc_" + Guid.NewGuid().ToString("N");
        var body = JsonSerializer.SerializeToUtf8Bytes(SubmitBody.From(request), ClientJson.Options);
        var proposalDigest = ProposalDigest.Compute(request.Proposal);
        var reply = await SendAsync(HttpMethod.Post, "v1/cases", body, key, _requestTimeout, _maxAttempts, cancellationToken).ConfigureAwait(false);
        if (reply.Status is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw Problems.From(reply);
        }

        var created = Read<HandoffCase>(reply);
        return new SubmittedCase(created, key, reply.Replayed || reply.Status == HttpStatusCode.OK, proposalDigest);
    }

    /// <summary>Gets a case as it stands. Its <see cref="HandoffCase.Decision"/> is not checked; act on the one <c>WaitForDecisionAsync</c> hands back.</summary>
    /// <exception cref="HandoffProblemException">404 when the case is not in the key's workspace; 401/403 for the key.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached in any of the tries.</exception>
    /// <exception cref="TimeoutException">The last try took longer than <see cref="HandoffClientOptions.RequestTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<HandoffCase> GetCaseAsync(string caseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        var reply = await SendAsync(HttpMethod.Get, CasePath(caseId), null, null, _requestTimeout, _maxAttempts, cancellationToken).ConfigureAwait(false);
        return reply.Status == HttpStatusCode.OK ? Read<HandoffCase>(reply) : throw Problems.From(reply);
    }

    /// <summary>
    /// Tells Handoff the approved result was carried out (<c>POST /v1/cases/{id}/receipt</c>), with the digest of what
    /// ran: <paramref name="executed"/>, or the approved <see cref="Decision.Result"/> when null. Send it after the tool
    /// or reply went through, once; a retry after a lost answer is recognised and not counted twice. What ran not
    /// being what was approved is recorded as a mismatch and flagged to the workspace's admins.
    /// </summary>
    /// <returns>The case with its <see cref="HandoffCase.Receipt"/>.</returns>
    /// <exception cref="HandoffProblemException">409 when the case is not approved or already has another receipt; 404, 401/403.</exception>
    public Task<HandoffCase> ReportExecutedAsync(CaseDecision decided, Proposal? executed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decided);
        var digest = ProposalDigest.Compute(executed ?? decided.Decision.Result);
        return ReportAsync(decided.CaseId, ExecutionOutcome.Executed, digest, null, cancellationToken);
    }

    /// <summary>
    /// Tells Handoff the approved result could not be carried out, and why (<c>POST /v1/cases/{id}/receipt</c>): the
    /// case then shows as failed instead of waiting for its execution. Once per case, like <see cref="ReportExecutedAsync"/>.
    /// </summary>
    /// <exception cref="HandoffProblemException">409 when the case is not approved or already has another receipt; 400 for an empty reason.</exception>
    public Task<HandoffCase> ReportFailedAsync(string caseId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return ReportAsync(caseId, ExecutionOutcome.Failed, null, reason, cancellationToken);
    }

    private async Task<HandoffCase> ReportAsync(string caseId, ExecutionOutcome outcome, string? digest, string? reason, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { outcome, resultDigest = digest, reason }, ClientJson.Options);
        var reply = await SendAsync(HttpMethod.Post, CasePath(caseId) + "/receipt", body, null, _requestTimeout, _maxAttempts, cancellationToken).ConfigureAwait(false);
        if (reply.Status == HttpStatusCode.OK)
        {
            return Read<HandoffCase>(reply);
        }

        // A retry whose first try was recorded but whose answer was lost meets its own receipt: that is success.
        if (reply.Status == HttpStatusCode.Conflict
            && await GetCaseAsync(caseId, cancellationToken).ConfigureAwait(false) is { Receipt: { } kept } current
            && kept.Outcome == outcome && kept.ResultDigest == digest && kept.Reason == reason?.Trim())
        {
            return current;
        }

        throw Problems.From(reply);
    }

    /// <summary>
    /// Waits until the case is decided and hands back the decision once it is proved to be about the proposal that
    /// was submitted. A case the policy approved or blocked answers at once.
    /// </summary>
    /// <remarks>
    /// The wait survives anything short of the case closing: a long-poll that runs out is renewed, and a dropped
    /// connection, a timeout, a restarting server or a 502/503/504 is retried with exponential backoff and jitter, for
    /// as long as <paramref name="cancellationToken"/> allows. A case that expires ends the wait with the decision its
    /// <c>onTimeout</c> made (<see cref="Decision.TimedOut"/> is true, <see cref="Decision.DecidedBy"/> null); one that
    /// escalates ends it with <see cref="CaseEscalatedException"/> unless <see cref="WaitOptions.KeepWaitingWhenEscalated"/>
    /// (a wait that starts on an already escalated case learns it when its first long-poll runs out).
    /// </remarks>
    /// <exception cref="ProposalDigestMismatchException">The decision names another proposal than the one submitted, or a
    /// result other than the one it carries (and an approval must carry the proposal itself). Act on nothing.</exception>
    /// <exception cref="CaseEscalatedException">The case timed out to <c>escalated</c>: nobody decided, a person will follow up.</exception>
    /// <exception cref="CaseTakenOverException">A person took the conversation over: relay it (see <see cref="WaitForMessagesAsync"/>).</exception>
    /// <exception cref="HandoffProblemException">404 when the case is not in the key's workspace; 401/403 for the key.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<CaseDecision> WaitForDecisionAsync(SubmittedCase submitted, WaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        return WaitAsync(submitted.Id, submitted.ProposalDigest, options ?? new WaitOptions(), cancellationToken);
    }

    /// <summary>
    /// Waits for the decision on a case submitted earlier, perhaps by another process, checking it against
    /// <paramref name="submittedProposal"/>, the proposal exactly as it was submitted (null if there was none). Otherwise as
    /// <see cref="WaitForDecisionAsync(SubmittedCase, WaitOptions?, CancellationToken)"/>.
    /// </summary>
    /// <exception cref="ProposalDigestMismatchException">The decision is not about <paramref name="submittedProposal"/>.</exception>
    /// <exception cref="CaseEscalatedException">The case timed out to <c>escalated</c>: nobody decided, a person will follow up.</exception>
    /// <exception cref="HandoffProblemException">404 when the case is not in the key's workspace; 401/403 for the key.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<CaseDecision> WaitForDecisionAsync(string caseId, Proposal? submittedProposal, WaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        return WaitAsync(caseId, ProposalDigest.Compute(submittedProposal), options ?? new WaitOptions(), cancellationToken);
    }

    private async Task<CaseDecision> WaitAsync(string caseId, string expectedDigest, WaitOptions options, CancellationToken cancellationToken)
    {
        var path = CasePath(caseId) + "/decision?wait=" + _waitSeconds.ToString(CultureInfo.InvariantCulture);
        var timeout = TimeSpan.FromSeconds(_waitSeconds) + _requestTimeout;
        while (true)
        {
            var reply = await SendAsync(HttpMethod.Get, path, null, null, timeout, maxAttempts: null, cancellationToken).ConfigureAwait(false);
            switch (reply.Status)
            {
                case HttpStatusCode.OK:
                    return Verified(caseId, expectedDigest, reply);
                case HttpStatusCode.Accepted:
                    var standing = Read<CaseStatusBody>(reply);
                    if (standing.Status == CaseStatus.Escalated && !options.KeepWaitingWhenEscalated)
                    {
                        throw new CaseEscalatedException(caseId, standing.AssignedTo);
                    }

                    if (standing.Status == CaseStatus.TakenOver && !options.KeepWaitingWhenTakenOver)
                    {
                        throw new CaseTakenOverException(caseId, standing.AssignedTo);
                    }

                    Log.StillWaiting(_logger, caseId, standing.Status);
                    break;
                default:
                    throw Problems.From(reply);
            }
        }
    }

    /// <summary>
    /// Fails closed: the decision must name the proposal this agent submitted, carry the result its digest names,
    /// and, for a plain approval, that result must be the proposal itself.
    /// </summary>
    private CaseDecision Verified(string caseId, string expectedDigest, Reply reply)
    {
        using var document = JsonDocument.Parse(reply.Body);
        var answer = document.RootElement.Deserialize<CaseDecision>(ClientJson.Options);
        if (answer?.Decision is not { } decision)
        {
            throw new HandoffException($"The server's answer for case {caseId} carries no decision.");
        }

        var resultDigest = document.RootElement.GetProperty("decision").TryGetProperty("result", out var result)
            && result.ValueKind != JsonValueKind.Null ? ProposalDigest.Compute(result) : null;
        if (Mismatch(decision, answer.IsApproved, expectedDigest, resultDigest) is { } m)
        {
            Log.DigestMismatch(_logger, caseId, m.Digest);
            throw new ProposalDigestMismatchException(caseId, m.Digest, m.Expected, m.Actual);
        }

        return answer;
    }

    private static (string Digest, string Expected, string? Actual)? Mismatch(
        Decision decision, bool approved, string expectedDigest, string? resultDigest)
    {
        if (!Same(decision.ProposalDigest, expectedDigest))
        {
            return ("proposalDigest", expectedDigest, decision.ProposalDigest);
        }

        if (resultDigest is null)
        {
            // Nothing to execute, so nothing may claim a digest or an approval.
            return decision.ResultDigest is not null || approved ? ("resultDigest", "a result", decision.ResultDigest) : null;
        }

        if (!Same(decision.ResultDigest, resultDigest))
        {
            return ("resultDigest", resultDigest, decision.ResultDigest);
        }

        // An approval lets through the proposal itself; a result that differs would be an edit in disguise.
        return decision.Verdict == Verdict.Approve && !Same(resultDigest, expectedDigest)
            ? ("resultDigest", expectedDigest, decision.ResultDigest)
            : null;
    }

    private static bool Same(string? a, string? b) => a is not null && string.Equals(a, b, StringComparison.Ordinal);

    private static string CasePath(string caseId) => "v1/cases/" + Uri.EscapeDataString(caseId);

    private static T Read<T>(Reply reply) =>
        JsonSerializer.Deserialize<T>(reply.Body, ClientJson.Options)
        ?? throw new HandoffException($"The server answered {(int)reply.Status} with an empty body.");
}
