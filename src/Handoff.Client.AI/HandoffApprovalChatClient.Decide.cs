using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Handoff.Client.AI;

internal sealed partial class HandoffApprovalChatClient
{
    private async Task<FunctionResultContent> ResolveAsync(
        FunctionCallContent call, bool requiresConfirmation, IReadOnlyList<ChatMessage> history, ChatOptions? chatOptions,
        CancellationToken cancellationToken)
    {
        var tool = chatOptions?.Tools?.OfType<AIFunction>().FirstOrDefault(t => t.Name == call.Name);
        var needsApproval = tool is null || tool is ApprovalRequiredAIFunction || Options.ToolNames.Contains(call.Name);
        if (!requiresConfirmation && !needsApproval)
        {
            return await InvokeAsync(tool!, call, call.Arguments, cancellationToken).ConfigureAwait(false);
        }

        var proposal = Proposal(call, history, chatOptions, out var request);
        var submitted = await handoff.SubmitCaseAsync(request, cancellationToken).ConfigureAwait(false);
        var decided = await handoff.WaitForDecisionAsync(submitted, cancellationToken: cancellationToken).ConfigureAwait(false);
        var decision = decided.Decision;
        switch (decided.Status)
        {
            case CaseStatus.Approved when decision.Result?.Action is { } action:
                if (tool is null)
                {
                    return new FunctionResultContent(call.CallId, $"Error: approved, but no tool named '{call.Name}' is available.");
                }

                // Approve hands back the proposal itself (the SDK has checked its digest), so its arguments are the
                // model's own; only an edit changes them.
                var arguments = decision.Verdict == Verdict.Approve
                    ? call.Arguments
                    : action.Arguments?.ToDictionary(p => p.Key, p => (object?)ToElement(p.Value));
                return await InvokeAsync(tool, call, arguments, cancellationToken).ConfigureAwait(false);
            case CaseStatus.Responded:
                return new FunctionResultContent(call.CallId, decision.Text ?? decision.Result?.Text ?? "");
            default:
                var by = decision.DecidedBy?.Kind == "policy" ? "policy" : "a person";
                var reason = string.IsNullOrWhiteSpace(decision.Text) ? "no reason given" : decision.Text;
                return new FunctionResultContent(call.CallId,
                    decided.IsApproved ? $"Approved by {by}, but not as a tool call: {decision.Result?.Text}" : $"Rejected by {by}: {reason}");
        }
    }

    private Proposal Proposal(FunctionCallContent call, IReadOnlyList<ChatMessage> history, ChatOptions? chatOptions, out CaseRequest request)
    {
        var context = Options.Context?.Invoke(new HandoffToolCall(call, history, chatOptions)) ?? new HandoffCaseContext();
        var proposal = new Proposal
        {
            Text = context.ProposalText,
            Action = new ToolCall(call.Name, call.Arguments is null ? null : JsonSerializer.SerializeToNode(call.Arguments, AIJsonUtilities.DefaultOptions) as JsonObject),
            Confidence = context.Confidence,
        };
        request = new CaseRequest
        {
            Kind = CaseKind.Action,
            Summary = context.Summary ?? $"The agent wants to call {call.Name}",
            Channel = context.Channel,
            Subject = context.Subject,
            Facts = context.Facts,
            Conversation = [.. history.Where(m => !string.IsNullOrWhiteSpace(m.Text)).Select(m => new Message(m.Role.Value, m.Text))],
            Proposal = proposal,
            ExpiresIn = Options.ExpiresIn,
            OnTimeout = Options.OnTimeout,
        };
        return proposal;
    }

    private static async Task<FunctionResultContent> InvokeAsync(
        AIFunction tool, FunctionCallContent call, IDictionary<string, object?>? arguments, CancellationToken cancellationToken)
    {
        try
        {
            var result = await tool.InvokeAsync(new AIFunctionArguments(arguments), cancellationToken).ConfigureAwait(false);
            return new FunctionResultContent(call.CallId, result);
        }
#pragma warning disable CA1031 // A failing tool is the model's to hear about, as FunctionInvokingChatClient reports it.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return new FunctionResultContent(call.CallId, "Error: Function failed.") { Exception = e };
        }
    }

    private static JsonElement? ToElement(JsonNode? node) =>
        node is null ? null : JsonSerializer.SerializeToElement(node, AIJsonUtilities.DefaultOptions);
}
