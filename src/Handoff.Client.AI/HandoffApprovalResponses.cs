using Microsoft.Extensions.AI;

namespace Handoff.Client.AI;

/// <summary>
/// For agents that hand approval requests to their caller (Microsoft Agent Framework's <c>AIAgent</c>, or a
/// <see cref="FunctionInvokingChatClient"/> without <see cref="HandoffChatClientBuilderExtensions.UseHandoffApprovals"/>):
/// turns a run's <see cref="ToolApprovalRequestContent"/>s into Handoff cases and the decisions into
/// <see cref="ToolApprovalResponseContent"/>s to run the agent on with.
/// </summary>
public static class HandoffApprovalResponses
{
    /// <summary>
    /// Makes each approval request in <paramref name="messages"/> a case (one per request, submitted concurrently),
    /// waits for the decisions and answers each request: approve approves it; edit, reject and respond refuse it, with
    /// the person's arguments (to call again with), the reason or the answer as <see cref="ToolApprovalResponseContent.Reason"/>.
    /// A request marked <c>RequiresConfirmation = false</c> is approved without a case.
    /// </summary>
    /// <param name="handoff">The client to submit cases with.</param>
    /// <param name="messages">The paused run's messages, approval requests included; the case's conversation is made of them.</param>
    /// <param name="runId">
    /// Names the run, stable across restarts (a session or conversation id). Each case's idempotency key is
    /// <c>{runId}/{requestId}</c>, so calling this again after a restart with the same run id and the same messages finds
    /// the cases already submitted and waits on for their decisions instead of asking twice.
    /// </param>
    /// <param name="options">The agent's context and the cases' expiry; <see cref="HandoffApprovalOptions.ToolNames"/> and <see cref="HandoffApprovalOptions.MaximumRounds"/> do not apply here.</param>
    /// <param name="cancellationToken">Ends the wait; the cases stay open, and a later call with the same run id resumes it.</param>
    /// <returns>A user message with one response per request, or <see langword="null"/> when there were no requests.</returns>
    /// <exception cref="ProposalDigestMismatchException">A decision was not about the proposed call; nothing is answered.</exception>
    public static async Task<ChatMessage?> DecideApprovalRequestsAsync(
        this HandoffClient handoff, IEnumerable<ChatMessage> messages, string runId, HandoffApprovalOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        options ??= new HandoffApprovalOptions();
        List<ChatMessage> history = [.. messages];
        var requests = history.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>()
            .Where(r => r.ToolCall is FunctionCallContent).ToList();
        if (requests.Count == 0)
        {
            return null;
        }

        var responses = await Task.WhenAll(requests.Select(r => AnswerAsync(handoff, r, history, runId, options, cancellationToken)))
            .ConfigureAwait(false);
        return new ChatMessage(ChatRole.User, [.. responses]);
    }

    private static async Task<AIContent> AnswerAsync(
        HandoffClient handoff, ToolApprovalRequestContent request, List<ChatMessage> history, string runId, HandoffApprovalOptions options,
        CancellationToken cancellationToken)
    {
        if (!request.RequiresConfirmation)
        {
            return request.CreateResponse(approved: true);
        }

        var call = (FunctionCallContent)request.ToolCall;
        var caseRequest = HandoffApprovalChatClient.CaseFor(options, call, history, chatOptions: null, $"{runId}/{request.RequestId}");
        var (submitted, decided) = await HandoffVerdicts.AskAsync(handoff, caseRequest, cancellationToken).ConfigureAwait(false);
        if (decided is null)
        {
            return request.CreateResponse(approved: false, HandoffVerdicts.Escalated(submitted));
        }

        var decision = decided.Decision;
        switch (decided.Status)
        {
            case CaseStatus.Approved when decision.Verdict == Verdict.Approve:
                return request.CreateResponse(approved: true);
            case CaseStatus.Approved when decision.Result?.Action is { } action:
                // An approval response cannot carry other arguments reliably: an Agent Framework agent runs the call
                // held in its session, the model's original, whatever the response says. Approving would run what the
                // person changed, so refuse, and tell the model what the person wants instead (fail closed).
                return request.CreateResponse(approved: false,
                    $"Not run: a person changed the arguments to {action.Arguments?.ToJsonString() ?? "{}"}. Call {action.Name} again with exactly these if it is still needed.");
            case CaseStatus.Responded:
                return request.CreateResponse(approved: false, HandoffVerdicts.Answer(decision));
            case CaseStatus.HandedBack:
                return request.CreateResponse(approved: false, HandoffVerdicts.HandedBack(decision));
            case CaseStatus.Approved:
                return request.CreateResponse(approved: false, HandoffVerdicts.ApprovedWithoutCall(decision));
            default:
                return request.CreateResponse(approved: false, HandoffVerdicts.Rejected(decision));
        }
    }
}
