using System.Security.Claims;
using System.Text;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Auth;
using Handoff.Server.Policies;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Api;

public static class PolicyApi
{

    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("Policy");
        group.MapGet("/policy", GetPolicyAsync).WithName("getPolicy").ProducesProblem(404).RequireAuthorization(Roles.Reviewer)
            .WithSummary("The workspace's current policy (YAML in source), or ?version=N.");
        group.MapPut("/policy", PublishAsync).WithName("publishPolicy").ProducesProblem(422).RequireAuthorization(Roles.Admin)
            .WithSummary("Publish a new policy version from a YAML body; 422 with line-numbered problems when invalid; warnings (published all the same) name teams the workspace lacks.");
        group.MapGet("/autonomy", GetAutonomyAsync).WithName("getAutonomy").RequireAuthorization(Roles.Reviewer)
            .WithSummary("Whether autonomy is on, and who last changed it.");
        group.MapPut("/autonomy", SetAutonomyAsync).WithName("setAutonomy").RequireAuthorization(Roles.Admin)
            .Accepts<AutonomyRequest>("application/json")
            .WithSummary("The stop switch: {\"enabled\": false} sends every case to a person.");
        return app;
    }

    private static async Task<Results<Ok<PolicyView>, ValidationProblem, ProblemHttpResult>> GetPolicyAsync(
        ClaimsPrincipal user, IHandoffStore store, string? version, CancellationToken cancellationToken)
    {
        int? wanted = null;
        if (version is not null)
        {
            if (!int.TryParse(version, out var v) || v < 1)
            {
                return JsonBody.Invalid("version", "Must be a policy version number (1 or more).");
            }

            wanted = v;
        }

        var policy = await store.GetPolicyAsync(user.WorkspaceId(), wanted, cancellationToken).ConfigureAwait(false);
        return policy is null
            ? TypedResults.Problem(detail: "No such policy version.", statusCode: StatusCodes.Status404NotFound, title: "Not found")
            : TypedResults.Ok(new PolicyView(policy.Version, policy.Source, policy.PublishedAt, policy.PublishedBy));
    }

    private static async Task<Results<Ok<PolicyView>, ValidationProblem, ProblemHttpResult>> PublishAsync(
        HttpRequest request, ClaimsPrincipal user, PolicyService policies, CancellationToken cancellationToken)
    {
        var (source, invalid) = await PolicyBody.ReadAsync(request, "The policy YAML is required as the request body.", cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var (published, problems, warnings) = await policies.PublishAsync(user.WorkspaceId(), source!, user.Actor(), cancellationToken).ConfigureAwait(false);
        if (published is null)
        {
            return PolicyBody.Invalid(problems, "nothing was published");
        }

        return TypedResults.Ok(new PolicyView(published.Version, published.Source, published.PublishedAt, published.PublishedBy)
        {
            Warnings = warnings.Count == 0 ? null : [.. warnings.Select(static w => new PolicyWarningView(w.Field, w.Line, w.Message))],
        });
    }

    private static async Task<Ok<AutonomyState>> GetAutonomyAsync(ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.GetAutonomyAsync(user.WorkspaceId(), cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<AutonomyState>, ValidationProblem, ProblemHttpResult>> SetAutonomyAsync(
        HttpRequest request, ClaimsPrincipal user, PolicyService policies, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<AutonomyRequest>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Enabled is not { } enabled)
        {
            return JsonBody.Invalid("enabled", "Required: true to let the policy approve cases, false to send every case to a person.");
        }

        return TypedResults.Ok(await policies.SetAutonomyAsync(user.WorkspaceId(), enabled, body.Reason, user.Actor(), cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>A policy's YAML as a request body (<c>PUT /v1/policy</c>, <c>POST /v1/policy/simulate</c>), and its problems as a 422.</summary>
internal static class PolicyBody
{
    public const int MaxBytes = 512 * 1024;

    /// <summary>The body's text, or the problem that says why there is none: unreadable, empty (<paramref name="required"/>), or too large.</summary>
    public static async Task<(string? Source, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, string required, CancellationToken cancellationToken)
    {
        string source;
        try
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            source = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            return (null, TypedResults.Problem(detail: e.Message, statusCode: e.StatusCode, title: "Bad request body"));
        }

        if (string.IsNullOrWhiteSpace(source))
        {
            return (null, TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [required] }) { Status = StatusCodes.Status400BadRequest }));
        }

        return Encoding.UTF8.GetByteCount(source) > MaxBytes
            ? (null, TypedResults.Problem(detail: $"A policy may be at most {MaxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large"))
            : (source, null);
    }

    /// <summary>422 listing a policy's problems, by line and column, as <c>problems</c> and under <c>errors.body</c>.</summary>
    public static ProblemHttpResult Invalid(IReadOnlyList<Core.Policy.PolicyProblem> problems, string consequence) =>
        TypedResults.Problem(
            detail: $"The policy has {problems.Count} problem(s); {consequence}.",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Invalid policy",
            extensions: new Dictionary<string, object?>
            {
                ["problems"] = problems.Select(p => new { line = p.Line, column = p.Column, message = p.Message }).ToArray(),
                ["errors"] = new Dictionary<string, string[]> { ["body"] = [.. problems.Select(p => p.ToString())] },
            });
}
