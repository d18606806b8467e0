using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Handoff.Client.AI;

/// <summary>
/// Sits outside <see cref="FunctionInvokingChatClient"/>. The invoker answers a call to an
/// <see cref="ApprovalRequiredAIFunction"/> with a <see cref="ToolApprovalRequestContent"/> instead of running it (and, in
/// a turn with such a call, the turn's other calls too, marked <c>RequiresConfirmation = false</c>). This client takes
/// those requests, asks Handoff for each one that needs it, runs the decided calls itself and sends the model the
/// results as an ordinary call/result history, which the invoker passes through untouched.
/// </summary>
/// <remarks>
/// Running the tool here rather than answering the invoker with a <see cref="ToolApprovalResponseContent"/> is on
/// purpose: a response can only say approved or rejected, while a person may also edit the arguments or answer in the
/// tool's place, and the model must get exactly that as the result of exactly that call id.
/// </remarks>
internal sealed partial class HandoffApprovalChatClient(IChatClient inner, HandoffClient handoff, HandoffApprovalOptions options)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var chatOptions = WithNamedToolsRequiringApproval(options);
        List<ChatMessage> history = [.. messages];
        List<ChatMessage> added = [];
        ChatResponse response = null!;
        for (var round = 0; ; round++)
        {
            response = await base.GetResponseAsync(history, chatOptions, cancellationToken).ConfigureAwait(false);
            var requests = response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>()
                .Where(r => r.ToolCall is FunctionCallContent).ToList();
            if (requests.Count == 0 || round == Options.MaximumRounds)
            {
                // Out of rounds, the last response goes back as it is, its approval requests unanswered.
                break;
            }

            var calls = response.Messages.Select(WithCallsInsteadOfRequests).ToList();
            history.AddRange(calls);
            added.AddRange(calls);

            // Each call is its own case, submitted and waited for at once; WhenAll keeps the order of the requests,
            // and every result carries its own call id, so no answer can land on another call.
            var snapshot = history.ToList();
            var results = await Task.WhenAll(requests.Select(r =>
                ResolveAsync((FunctionCallContent)r.ToolCall, r.RequiresConfirmation, snapshot, chatOptions, cancellationToken)))
                .ConfigureAwait(false);
            var toolMessage = new ChatMessage(ChatRole.Tool, [.. results]);
            history.Add(toolMessage);
            added.Add(toolMessage);
        }

        if (added.Count > 0)
        {
            // The caller's history gets every step, as FunctionInvokingChatClient does for the calls it runs.
            response.Messages = [.. added, .. response.Messages];
        }

        return response;
    }

    /// <remarks>Buffered: the whole exchange, approvals included, completes before the first update is yielded.</remarks>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    private HandoffApprovalOptions Options => options;

    private static ChatMessage WithCallsInsteadOfRequests(ChatMessage message)
    {
        if (!message.Contents.Any(c => c is ToolApprovalRequestContent))
        {
            return message;
        }

        var copy = message.Clone();
        copy.Contents = [.. message.Contents.Select(c => c is ToolApprovalRequestContent { ToolCall: FunctionCallContent call } ? call : c)];
        return copy;
    }

    private ChatOptions? WithNamedToolsRequiringApproval(ChatOptions? chatOptions)
    {
        if (chatOptions?.Tools is not { Count: > 0 } tools || Options.ToolNames.Count == 0)
        {
            return chatOptions;
        }

        var copy = chatOptions.Clone();
        copy.Tools = [.. tools.Select(t => t is AIFunction f and not ApprovalRequiredAIFunction && Options.ToolNames.Contains(f.Name)
            ? new ApprovalRequiredAIFunction(f) : t)];
        return copy;
    }
}
