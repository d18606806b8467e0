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

        var (submitted, decided) = await HandoffVerdicts.AskAsync(handoff, CaseFor(Options, call, history, chatOptions), cancellationToken).ConfigureAwait(false);
        if (decided is null)
        {
            // A person will follow up: the tool must not run, and the model should say so.
            return new FunctionResultContent(call.CallId, HandoffVerdicts.Escalated(submitted));
        }

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
                var ran = await InvokeAsync(tool, call, arguments, cancellationToken).ConfigureAwait(false);
                await ReceiptAsync(decided, ran, cancellationToken).ConfigureAwait(false);
                return ran;
            case CaseStatus.Responded:
                return new FunctionResultContent(call.CallId, HandoffVerdicts.Answer(decision));
            case CaseStatus.HandedBack:
                return new FunctionResultContent(call.CallId, HandoffVerdicts.HandedBack(decision));
            case CaseStatus.Approved:
                return new FunctionResultContent(call.CallId, HandoffVerdicts.ApprovedWithoutCall(decision));
            default:
                return new FunctionResultContent(call.CallId, HandoffVerdicts.Rejected(decision));
        }
    }

    /// <summary>
    /// Tells Handoff what became of the approved call: run (the approved result, so its digest is the decision's) or
    /// failed with the tool's error. A receipt that cannot be sent leaves the case showing "not executed yet"; the
    /// conversation goes on, since the tool has run either way.
    /// </summary>
    // The server keeps at most this much of a failure's reason.
    private const int MaxReasonLength = 2000;

    private async Task ReceiptAsync(CaseDecision decided, FunctionResultContent ran, CancellationToken cancellationToken)
    {
        try
        {
            if (ran.Exception is { } failure)
            {
                var reason = $"The tool failed: {failure.GetType().Name}: {failure.Message}";
                await handoff.ReportFailedAsync(decided.CaseId, reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await handoff.ReportExecutedAsync(decided, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is HandoffException or HttpRequestException or TimeoutException)
        {
        }
    }

    // Through a JsonElement: a node made with the (case-insensitive) AI options would fold arguments that differ only
    // in case, which are two arguments in JSON.
    private static JsonObject? ArgumentsObject(IDictionary<string, object?>? arguments) =>
        arguments is not null && JsonSerializer.SerializeToElement(arguments, AIJsonUtilities.DefaultOptions) is { ValueKind: JsonValueKind.Object } element
            ? JsonObject.Create(element)
            : null;

    internal static CaseRequest CaseFor(
        HandoffApprovalOptions options, FunctionCallContent call, IReadOnlyList<ChatMessage> history, ChatOptions? chatOptions,
        string? idempotencyKey = null)
    {
        var context = options.Context?.Invoke(new HandoffToolCall(call, history, chatOptions)) ?? new HandoffCaseContext();
        var proposal = new Proposal
        {
            Text = context.ProposalText,
            Action = new ToolCall(call.Name, ArgumentsObject(call.Arguments)),
            Confidence = context.Confidence,
        };
        return new CaseRequest
        {
            Kind = CaseKind.Action,
            Summary = context.Summary ?? $"The agent wants to call {call.Name}",
            Channel = context.Channel,
            Subject = context.Subject,
            Facts = context.Facts,
            Conversation = [.. history.Select(m => new Message(m.Role.Value, AsText(m))).Where(m => m.Text.Length > 0)],
            Proposal = proposal,
            ExpiresIn = options.ExpiresIn,
            OnTimeout = options.OnTimeout,
            IdempotencyKey = idempotencyKey,
        };
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

    /// <summary>A message as a reviewer reads it: its text, and its tool calls and results spelled out.</summary>
    private static string AsText(ChatMessage message) => string.Join("\n", message.Contents.Select(c => c switch
    {
        TextContent text => text.Text,
        FunctionCallContent fc => $"[calls {fc.Name}({ArgumentsObject(fc.Arguments)?.ToJsonString()})]",
        FunctionResultContent fr => $"[result: {fr.Result}]",
        _ => "",
    }).Where(t => !string.IsNullOrWhiteSpace(t)));

    internal static JsonElement? ToElement(JsonNode? node) =>
        node is null ? null : JsonSerializer.SerializeToElement(node, AIJsonUtilities.DefaultOptions);
}
