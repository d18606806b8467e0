using Handoff.Server.Api.Contracts;
using Handoff.Server.Mcp.Contracts;
using ModelContextProtocol.Protocol;

namespace Handoff.Server.Mcp;

/// <summary>
/// <c>request_approval</c>: an action the agent wants to take becomes a case of kind <c>action</c>; the policy may
/// approve it at once, otherwise the call waits (bounded) for a person and answers pending when they take longer.
/// </summary>
internal sealed class RequestApprovalTool(CaseSubmitter submitter) : HandoffTool<RequestApprovalArguments>(Definition)
{
    // The case's fields as the API's validator names them → this tool's arguments.
    private static readonly Dictionary<string, string> ApiNames = new(StringComparer.Ordinal)
    {
        ["proposal.action.name"] = "action",
        ["proposal.action.arguments"] = "arguments",
        ["proposal.action"] = "action",
        ["proposal.text"] = "text",
        ["proposal.confidence"] = "confidence",
        ["proposal"] = "action",
    };

    private static Tool Definition => new()
    {
        Name = "request_approval",
        Title = "Ask a person to approve an action",
        Description =
            "Before you run an action that is sensitive, costly or uncertain, ask for approval. The business's policy " +
            "decides whether a person must look; if so the call waits up to waitSeconds for them. The answer's status " +
            "says what to do: 'approved' (run decision.action with decision.arguments, which a person may have changed), " +
            "'rejected' or 'blocked' (do not run it; decision.text says why), 'responded' (do not run it; decision.text " +
            "is a person's answer), or 'pending'/'assigned'/'escalated' (not decided yet: do not run it, call check_case later).",
        InputSchema = ToolSchemas.Object(
            ["action", "summary"],
            [
                ("action", ToolSchemas.Text("The name of the action (tool) you want to run, for example issue_refund.")),
                ("arguments", ToolSchemas.AnyObject("The arguments you want to run it with, as a JSON object.")),
                ("summary", ToolSchemas.Text("What you want to do and why, in a sentence for the person who decides.")),
                ("text", ToolSchemas.Text("What you would tell the customer once it is done, if anything.")),
                ("confidence", ToolSchemas.Confidence("How sure you are that this is right, from 0 to 1. Without it the policy treats the case as low confidence.")),
                .. ToolSchemas.CaseContext(),
            ]),
        OutputSchema = ToolResults.CaseResultSchema,
        Annotations = new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = false, IdempotentHint = false, OpenWorldHint = false },
    };

    protected override async Task<CallToolResult> RunAsync(RequestApprovalArguments arguments, ToolCall call, CancellationToken cancellationToken)
    {
        var errors = new ToolErrors(ApiNames);
        if (string.IsNullOrWhiteSpace(arguments.Action))
        {
            errors.Add("action", "Required: the name of the action you want to run.");
        }

        if (string.IsNullOrWhiteSpace(arguments.Summary))
        {
            errors.Add("summary", "Required: what you want to do and why, for the person who decides.");
        }

        var request = new SubmitCaseRequest(
            Kind: "action",
            Summary: arguments.Summary,
            Channel: "mcp",
            Subject: arguments.Subject,
            Facts: arguments.Facts,
            Conversation: arguments.Conversation,
            Proposal: new ProposalBody(arguments.Text, new ToolCallBody(arguments.Action, arguments.Arguments), arguments.Confidence),
            Options: null,
            ExpiresIn: arguments.ExpiresIn,
            OnTimeout: arguments.OnTimeout);
        return await submitter.SubmitAndWaitAsync(
            call, request, arguments.IdempotencyKey, arguments.WaitSeconds, errors, cancellationToken).ConfigureAwait(false);
    }
}
