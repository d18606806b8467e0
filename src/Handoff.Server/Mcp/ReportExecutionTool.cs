using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Server.Api;
using Handoff.Server.Auth;
using Handoff.Server.Cases;
using Handoff.Server.Mcp.Contracts;
using Handoff.Storage;
using ModelContextProtocol.Protocol;

namespace Handoff.Server.Mcp;

/// <summary>
/// <c>report_execution</c>: the agent's receipt for an approved case over MCP — it ran the approved action (with the
/// arguments it used, when they are not the approved ones) or it failed (with why). A model cannot hash canonical JSON,
/// so the server computes the digest of what ran: the approved result, with the arguments given in place of its own.
/// </summary>
internal sealed class ReportExecutionTool(CaseService cases, IHandoffStore store, TimeProvider time) : HandoffTool<ReportExecutionArguments>(Definition)
{
    private static Tool Definition => new()
    {
        Name = "report_execution",
        Title = "Report what you did with an approved case",
        Description =
            "Call once after acting on an approved case: outcome 'executed' when the approved action ran (give arguments " +
            "only if you ran it with other arguments than the approved ones), or 'failed' with the reason when it could " +
            "not be done. People see which approved cases were carried out; a case takes one report.",
        InputSchema = ToolSchemas.Object(
            ["caseId", "outcome"],
            ("caseId", ToolSchemas.CaseId()),
            ("outcome", new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "string",
                ["enum"] = ToolSchemas.Names<ExecutionOutcome>(),
                ["description"] = "executed: the approved action ran; failed: it could not be done (say why in reason).",
            }),
            ("arguments", ToolSchemas.AnyObject("Only when the action ran with other arguments than the approved ones: the arguments it ran with.")),
            ("reason", ToolSchemas.Text($"For failed, why (required); for executed, an optional note. At most {ExecutionReceipts.MaxReasonLength:N0} characters."))),
        OutputSchema = ToolResults.CaseResultSchema,
        Annotations = new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = false, IdempotentHint = false, OpenWorldHint = false },
    };

    protected override async Task<CallToolResult> RunAsync(ReportExecutionArguments arguments, ToolCall call, CancellationToken cancellationToken)
    {
        var errors = new ToolErrors();
        if (string.IsNullOrWhiteSpace(arguments.CaseId))
        {
            errors.Add("caseId", "Required: the case's id (cs_…).");
        }

        ExecutionOutcome? outcome = arguments.Outcome switch
        {
            "executed" => ExecutionOutcome.Executed,
            "failed" => ExecutionOutcome.Failed,
            _ => null,
        };
        if (outcome is null)
        {
            errors.Add("outcome", "Required: 'executed' or 'failed'.");
        }

        if (arguments.Arguments.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            errors.Add("arguments", "A JSON object: the arguments the action ran with.");
        }

        if (ExecutionReceipts.ReasonProblem(outcome, arguments.Reason) is { } reasonProblem)
        {
            errors.Add("reason", reasonProblem);
        }

        if (errors.Any)
        {
            return ToolResults.Invalid(errors);
        }

        var workspaceId = call.Caller.WorkspaceId();
        var caseId = arguments.CaseId!;
        if (await store.GetCaseAsync(workspaceId, caseId, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return ToolResults.NotFound(caseId);
        }

        if (ExecutionReceipts.NotTheirs(current, call.Caller.Actor(), call.Caller.IsInRole(Roles.Admin)) is { } notTheirs)
        {
            return ToolResults.Conflict(notTheirs);
        }

        if (outcome == ExecutionOutcome.Executed && arguments.Arguments.ValueKind == JsonValueKind.Object && current.Decision?.Result?.Action is null)
        {
            errors.Add("arguments", "The approved result has no action to run with arguments; leave arguments out.");
            return ToolResults.Invalid(errors);
        }

        var receipt = new ExecutionReceipt
        {
            Outcome = outcome!.Value,
            ResultDigest = outcome == ExecutionOutcome.Executed ? Ran(current, arguments.Arguments) : null,
            Reason = string.IsNullOrWhiteSpace(arguments.Reason) ? null : arguments.Reason.Trim(),
            At = time.GetUtcNow(),
            By = call.Caller.Actor(),
        };
        var update = await cases.RecordReceiptAsync(workspaceId, caseId, receipt, cancellationToken).ConfigureAwait(false);
        return update.Status switch
        {
            CaseUpdateStatus.Updated => ToolResults.Case(update.Case!),
            CaseUpdateStatus.NotFound => ToolResults.NotFound(caseId),
            _ => ToolResults.Conflict(ExecutionReceipts.Refusal(update.Case!) ?? "The case cannot take a report."),
        };
    }

    /// <summary>The digest of what ran: the approved result, with <paramref name="ranWith"/> as its action's arguments when given.</summary>
    private static string? Ran(HandoffCase current, JsonElement ranWith)
    {
        if (current.Decision is not { Result: { } approved } decision)
        {
            return current.Decision?.ResultDigest;
        }

        return ranWith.ValueKind == JsonValueKind.Object && approved.Action is { } action
            ? ProposalDigest.Compute(approved with { Action = action with { Arguments = ranWith.Clone() } })
            : decision.ResultDigest;
    }
}
