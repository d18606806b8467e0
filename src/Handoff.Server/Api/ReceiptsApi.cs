using System.Security.Claims;
using Handoff.Core.Cases;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Auth;
using Handoff.Server.Cases;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Api;

/// <summary>
/// <c>POST /v1/cases/{id}/receipt</c>: the agent reports what it did with an approved case — executed (with the digest
/// of what ran) or failed (with why) — once, from the key that submitted the case (or an admin key). A digest that is
/// not the approved result's is kept, audited and flagged to the workspace's admins (<c>execution.mismatch</c>).
/// </summary>
internal static class ReceiptsApi
{
    public static RouteGroupBuilder MapReceiptsApi(this RouteGroupBuilder cases)
    {
        cases.MapPost("/{id}/receipt", RecordAsync).WithName("recordReceipt").ProducesProblem(409).RequireAuthorization(Roles.Agent)
            .Accepts<ReceiptRequest>("application/json")
            .WithSummary("Report what was done with an approved case: executed (with the digest of what ran) or failed (with why); once per case.");
        return cases;
    }

    private static async Task<Results<Ok<CaseView>, ValidationProblem, ProblemHttpResult>> RecordAsync(
        string id, HttpRequest request, ClaimsPrincipal user, CaseService service, IHandoffStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ReceiptRequest>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var outcome = SubmitCaseValidator.ParseEnum<ExecutionOutcome>(body!.Outcome, "outcome", errors, required: true);
        if (outcome == ExecutionOutcome.Failed && body.ResultDigest is not null)
        {
            errors.Add("resultDigest", "Only for executed: a failed receipt says why in reason, and nothing ran.");
        }
        else if (body.ResultDigest is { } digest && !IsDigest(digest))
        {
            errors.Add("resultDigest", "Must be a SHA-256 digest: 64 lowercase hexadecimal characters (the proposal digest of what ran).");
        }
        else if (outcome == ExecutionOutcome.Executed && body.ResultDigest is null)
        {
            errors.Add("resultDigest", "Required for executed: the digest of what ran, which should be the decision's resultDigest.");
        }

        if (ExecutionReceipts.ReasonProblem(outcome, body.Reason) is { } reasonProblem)
        {
            errors.Add("reason", reasonProblem);
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var workspaceId = user.WorkspaceId();
        if (await store.GetCaseAsync(workspaceId, id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return CasesApi.NotFound(id);
        }

        if (ExecutionReceipts.NotTheirs(current, user.Actor(), user.IsInRole(Roles.Admin)) is { } notTheirs)
        {
            return TypedResults.Problem(detail: notTheirs, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        var receipt = new ExecutionReceipt
        {
            Outcome = outcome!.Value,
            ResultDigest = body.ResultDigest,
            Reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim(),
            At = time.GetUtcNow(),
            By = user.Actor(),
        };
        var update = await service.RecordReceiptAsync(workspaceId, id, receipt, cancellationToken).ConfigureAwait(false);
        return update.Status switch
        {
            CaseUpdateStatus.Updated => TypedResults.Ok(CaseView.From(update.Case!, time.GetUtcNow())),
            CaseUpdateStatus.NotFound => CasesApi.NotFound(id),
            _ => TypedResults.Problem(
                detail: ExecutionReceipts.Refusal(update.Case!) ?? "The case cannot take a receipt.",
                statusCode: StatusCodes.Status409Conflict, title: "Conflict", extensions: CasesApi.ConflictExtensions(update.Case!)),
        };
    }

    private static bool IsDigest(string value) => value.Length == 64 && value.All(static c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
