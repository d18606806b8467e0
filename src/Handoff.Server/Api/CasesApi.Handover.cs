using System.Security.Claims;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Auth;
using Handoff.Server.Cases;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Api;

public static partial class CasesApi
{
    private static async Task<Results<Ok<CaseView>, ValidationProblem, ProblemHttpResult>> ReassignAsync(
        string id, HttpRequest request, ClaimsPrincipal user, CaseHandover handover, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ReassignRequest>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        return Handed(id, time, await handover.ReassignAsync(user.WorkspaceId(), id, body!.To, body.Note, user.Actor(), cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<CaseView>, ValidationProblem, ProblemHttpResult>> TransferAsync(
        string id, HttpRequest request, ClaimsPrincipal user, CaseHandover handover, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<TransferRequest>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        // An admin key supervises: it may transfer any open case. A reviewer's key transfers what it holds.
        var supervisor = user.IsInRole(Roles.Admin);
        return Handed(id, time, await handover.TransferAsync(
            user.WorkspaceId(), id, body!.ToPerson, body.ToTeam, body.Note, user.Actor(), supervisor, cancellationToken).ConfigureAwait(false));
    }

    private static Results<Ok<CaseView>, ValidationProblem, ProblemHttpResult> Handed(string id, TimeProvider time, HandoverResult result) => result.Status switch
    {
        HandoverStatus.Done => TypedResults.Ok(CaseView.From(result.Case!, time.GetUtcNow())),
        HandoverStatus.NotFound => NotFound(id),
        HandoverStatus.Invalid => JsonBody.Invalid(result.Field!, result.Message!),
        HandoverStatus.Forbidden => TypedResults.Problem(detail: result.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
        HandoverStatus.OverCapacity => OverCapacity(result.Message!),
        _ => Conflict(result.Case!),
    };
}
