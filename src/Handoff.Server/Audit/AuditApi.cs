using System.Globalization;
using System.Security.Claims;
using Handoff.Core.Audit;
using Handoff.Server.Auth;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Audit;

/// <summary>
/// A case's audit entries with a Merkle inclusion proof each, over HTTP: what <c>handoff audit prove</c> writes, for
/// whoever may read the case, to be checked against a signed checkpoint with <c>handoff audit verify-proof</c> (or any
/// RFC 9162 verifier) without the database.
/// </summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/cases/{id}/proof", ProofAsync).WithName("getCaseProof").RequireAuthorization(Roles.Any).WithTags("Cases")
            .WithSummary("The case's sealed audit entries, each with an RFC 9162 inclusion proof in the Merkle tree of the log's first `size` entries (a checkpoint's size; default: the whole sealed log). Check it against the signed checkpoint of that size with `handoff audit verify-proof`.");
        return app;
    }

    private static async Task<Results<Ok<AuditProof>, ValidationProblem, ProblemHttpResult>> ProofAsync(
        string id, string? size, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        long? treeSize = null;
        if (size is not null)
        {
            if (!size.All(char.IsAsciiDigit) || !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                return Api.JsonBody.Invalid("size", "A whole number of entries, at least 1: the size of the checkpoint to prove against.");
            }

            treeSize = n;
        }

        var workspaceId = user.WorkspaceId();
        if (await store.GetCaseAsync(workspaceId, id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Api.CasesApi.NotFound(id);
        }

        var tree = new AuditTreeReader(store);
        try
        {
            var sealedSize = await tree.SealedSizeAsync(cancellationToken).ConfigureAwait(false);
            if (treeSize > sealedSize)
            {
                return Api.JsonBody.Invalid("size", string.Create(CultureInfo.InvariantCulture, $"The sealed log holds {sealedSize} entries; a proof is of a tree it holds."));
            }

            var proof = await tree.ProveAsync(workspaceId, id, treeSize ?? sealedSize, cancellationToken).ConfigureAwait(false);
            return proof is null ? Api.CasesApi.NotFound(id) : TypedResults.Ok(proof);
        }
        catch (InvalidOperationException e)
        {
            // The log or its tree does not hold together (a gap, a malformed hash): no proof, and handoff audit verify says why.
            return TypedResults.Problem(detail: e.Message, statusCode: StatusCodes.Status500InternalServerError, title: "The audit log does not verify");
        }
    }
}
