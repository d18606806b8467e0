using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Handoff.Server.Hosting;

/// <summary>
/// Says what to do about the errors the framework raises without a word of its own (no key, wrong role, wrong
/// content type, no such route), so every problem document a client sees explains itself.
/// </summary>
internal static class ProblemDetailTexts
{
    public static void Explain(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            return;
        }

        var http = context.HttpContext;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status401Unauthorized => string.IsNullOrEmpty(http.Request.Headers.Authorization)
                ? "Send an API key as 'Authorization: Bearer <key>'; create one with 'handoff keys create'."
                : "The API key is unknown or revoked.",
            StatusCodes.Status403Forbidden =>
                $"This endpoint needs the {Needed(http)} role; this is {Article(http.User.FindFirstValue(ClaimTypes.Role))} key.",
            StatusCodes.Status404NotFound => $"There is no endpoint at {http.Request.Method} {http.Request.Path}; see /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json'.",
            StatusCodes.Status400BadRequest when IsUnstorableText(http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error) =>
                Api.JsonBody.NulMessage,
            StatusCodes.Status503ServiceUnavailable =>
                "The database is out of reach for a moment. Retry shortly; a case submitted with an Idempotency-Key is never created twice.",
            _ => problem.Detail,
        };
    }

    /// <summary>Text PostgreSQL cannot hold (U+0000, or bytes it cannot encode): the client's fault, a 400.</summary>
    internal static bool IsUnstorableText(Exception? exception) => exception is Npgsql.PostgresException { SqlState: "22021" or "22P05" };

    private static string Needed(HttpContext http)
    {
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()?.Policy;
        return policy switch
        {
            Auth.Roles.Agent => "agent (or admin)",
            Auth.Roles.Reviewer => "reviewer (or admin)",
            Auth.Roles.Admin => "admin",
            _ => "right",
        };
    }

    private static string Article(string? role) => role switch
    {
        null => "an unknown",
        "agent" or "admin" => $"an {role}",
        _ => $"a {role}",
    };
}
