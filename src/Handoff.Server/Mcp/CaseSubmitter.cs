using System.Security.Claims;
using Handoff.Core.Cases;
using Handoff.Server.Api;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Auth;
using Handoff.Server.Cases;
using ModelContextProtocol.Protocol;

namespace Handoff.Server.Mcp;

/// <summary>Submits a tool's case exactly as <c>POST /v1/cases</c> does: the same validator, service and idempotency rule.</summary>
internal sealed class CaseSubmitter(CaseService cases, ToolWaiter waiter)
{
    /// <summary>
    /// What <c>request_approval</c> and <c>ask_human</c> do once they have built their case: check the wait,
    /// submit, then wait up to <paramref name="waitSeconds"/> (or <see cref="ToolArguments.DefaultWaitSeconds"/>) for
    /// a person, and answer with the case as it stands then, or with every problem found along the way.
    /// </summary>
    public async Task<CallToolResult> SubmitAndWaitAsync(
        ToolCall call, SubmitCaseRequest request, string? idempotencyKey, int? waitSeconds, ToolErrors errors, CancellationToken cancellationToken)
    {
        var wait = ToolArguments.Wait(waitSeconds, ToolArguments.DefaultWaitSeconds, errors);
        var submitted = await SubmitAsync(call.Caller, request, idempotencyKey, errors, cancellationToken).ConfigureAwait(false);
        if (submitted is null)
        {
            return ToolResults.Invalid(errors);
        }

        var current = await waiter.WaitAsync(call, submitted.Id, wait, cancellationToken).ConfigureAwait(false);
        return ToolResults.Case(current ?? submitted);
    }

    /// <summary>
    /// Validates <paramref name="request"/> into <paramref name="errors"/> (under the API's field names) and, when
    /// nothing is wrong there, submits it; returns null when it did not submit.
    /// </summary>
    private async Task<HandoffCase?> SubmitAsync(
        ClaimsPrincipal caller, SubmitCaseRequest request, string? idempotencyKey, ToolErrors errors, CancellationToken cancellationToken)
    {
        if (idempotencyKey is { Length: 0 or > SubmittedCase.MaxIdempotencyKeyLength })
        {
            errors.Add("idempotencyKey", $"Must be 1 to {SubmittedCase.MaxIdempotencyKeyLength} characters.");
        }

        var validation = new ValidationErrors();
        var submitted = SubmitCaseValidator.Validate(request, validation);
        errors.AddValidation(validation);
        if (errors.Any || submitted is null)
        {
            return null;
        }

        var result = await cases.SubmitAsync(caller.WorkspaceId(), submitted, idempotencyKey, caller.Actor(), cancellationToken).ConfigureAwait(false);
        if (!result.Created && !submitted.SameAs(result.Case))
        {
            // Reusing a key for a different request is a client bug; answering with the old case would hide it.
            errors.Add("idempotencyKey", $"Already used for case {result.Case.Id} with different arguments; use a new key for a new case.");
            return null;
        }

        return result.Case;
    }
}
