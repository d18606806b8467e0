using Handoff.Core.Cases;
using Handoff.Server.Auth;
using Handoff.Server.Cases;
using Handoff.Server.Mcp.Contracts;
using Handoff.Storage;
using ModelContextProtocol.Protocol;

namespace Handoff.Server.Mcp;

/// <summary>
/// <c>relay_message</c>: while a person has taken the conversation over, the agent passes on what the customer writes
/// and gets back the person's replies. Posts the customer's message (if any) to the transcript, then waits (bounded,
/// with progress) for a message after it, or for the takeover to end, and answers with the new messages.
/// </summary>
internal sealed class RelayMessageTool(CaseService cases, ToolWaiter waiter) : HandoffTool<RelayMessageArguments>(Definition)
{
    private static Tool Definition => new()
    {
        Name = "relay_message",
        Title = "Relay the customer's message",
        Description =
            "Use while a person has taken the conversation over (status 'takenOver'). Pass what the customer just wrote as " +
            "text; the answer carries the person's replies in messages (role 'person'): send them to the customer word for " +
            "word, and never answer the customer yourself meanwhile. Without text it only waits for the person's next reply. " +
            "When the status becomes 'handedBack', decision.text is the person's note and the conversation is yours again.",
        InputSchema = ToolSchemas.Object(
            ["caseId"],
            ("caseId", ToolSchemas.CaseId()),
            ("text", ToolSchemas.Text($"What the customer wrote, word for word (up to {CaseMessage.MaxTextLength:N0} characters). Leave it out to only wait for the person.")),
            ("after", new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "integer",
                ["minimum"] = 0,
                ["description"] = "Answer with messages numbered above this: lastMessage from your previous answer. Defaults to the message posted now (or 0).",
            }),
            ("waitSeconds", ToolSchemas.WaitSeconds(ToolArguments.DefaultWaitSeconds))),
        OutputSchema = ToolResults.CaseResultSchema,
        Annotations = new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = false, IdempotentHint = false, OpenWorldHint = false },
    };

    protected override async Task<CallToolResult> RunAsync(RelayMessageArguments arguments, ToolCall call, CancellationToken cancellationToken)
    {
        var errors = new ToolErrors();
        if (string.IsNullOrWhiteSpace(arguments.CaseId))
        {
            errors.Add("caseId", "Required: the case's id (cs_…).");
        }

        if (arguments.Text is { } text && (string.IsNullOrWhiteSpace(text) || text.Length > CaseMessage.MaxTextLength))
        {
            errors.Add("text", $"The customer's words: not empty, at most {CaseMessage.MaxTextLength:N0} characters. Leave it out to only wait.");
        }

        if (arguments.After is < 0)
        {
            errors.Add("after", "Must be a whole number from 0: lastMessage from your previous answer.");
        }

        var wait = ToolArguments.Wait(arguments.WaitSeconds, ToolArguments.DefaultWaitSeconds, errors);
        if (errors.Any)
        {
            return ToolResults.Invalid(errors);
        }

        var caseId = arguments.CaseId!;
        var after = arguments.After ?? 0;
        if (arguments.Text is { } customer)
        {
            var update = await cases.AddMessageAsync(call.Caller.WorkspaceId(), caseId, CaseMessageRole.Customer, customer, call.Caller.Actor(), cancellationToken)
                .ConfigureAwait(false);
            switch (update.Status)
            {
                case CaseUpdateStatus.NotFound:
                    return ToolResults.NotFound(caseId);
                case CaseUpdateStatus.Conflict:
                    return ToolResults.Conflict(update.Case!.Status.IsOpen()
                        ? "The transcript is full; the message was not relayed. Submit a new case to go on."
                        : $"The case is closed ({System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(update.Case.Status.ToString())}); the message was not relayed. Call check_case with caseId {caseId} to see how it ended.");
            }

            after = arguments.After ?? update.Case!.Transcript![^1].Number;
        }

        var current = await waiter.WaitForMessagesAsync(call, caseId, after, wait, cancellationToken).ConfigureAwait(false);
        return current is null ? ToolResults.NotFound(caseId) : ToolResults.Case(current, after);
    }
}
