using Handoff.Server.Mcp.Contracts;
using ModelContextProtocol.Protocol;

namespace Handoff.Server.Mcp;

/// <summary>
/// <c>check_case</c>: where a case of the caller's workspace stands, with its decision once there is one; it may
/// wait (bounded) for that decision. A case of another workspace answers as one that does not exist.
/// </summary>
internal sealed class CheckCaseTool(ToolWaiter waiter) : HandoffTool<CheckCaseArguments>(Definition)
{
    private const int DefaultWaitSeconds = 0;

    private static Tool Definition => new()
    {
        Name = "check_case",
        Title = "Check a case",
        Description =
            "Get the status of a case you submitted with request_approval or ask_human, and the decision once a person " +
            "has taken it. With waitSeconds it waits that long for the decision first. Act on the decision only when " +
            "status is 'approved' (or, for a question, 'responded').",
        InputSchema = ToolSchemas.Object(
            ["caseId"],
            ("caseId", ToolSchemas.CaseId()),
            ("waitSeconds", ToolSchemas.WaitSeconds(DefaultWaitSeconds))),
        OutputSchema = ToolResults.CaseResultSchema,
        Annotations = new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false },
    };

    protected override async Task<CallToolResult> RunAsync(CheckCaseArguments arguments, ToolCall call, CancellationToken cancellationToken)
    {
        var errors = new ToolErrors();
        if (string.IsNullOrWhiteSpace(arguments.CaseId))
        {
            errors.Add("caseId", "Required: the case's id (cs_…).");
        }

        var wait = ToolArguments.Wait(arguments.WaitSeconds, DefaultWaitSeconds, errors);
        if (errors.Any)
        {
            return ToolResults.Invalid(errors);
        }

        var current = await waiter.WaitAsync(call, arguments.CaseId!, wait, cancellationToken).ConfigureAwait(false);
        return current is null ? ToolResults.NotFound(arguments.CaseId!) : ToolResults.Case(current);
    }
}
