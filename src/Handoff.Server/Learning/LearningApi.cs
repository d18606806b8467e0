using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using Handoff.Core.Learning;
using Handoff.Server.Api;
using Handoff.Server.Auth;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Learning;

/// <summary>What learning shows people over the API: a case's precedents, and how often people agree with the AI.</summary>
public static class LearningApi
{
    /// <summary>The window agreement statistics cover unless asked otherwise.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(90);

    public static IEndpointRouteBuilder MapLearningApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/cases/{id}/precedents", PrecedentsAsync).WithName("getPrecedents").RequireAuthorization(Roles.Reviewer).WithTags("Cases")
            .WithSummary("The most similar decided cases of the workspace: same action and rules first, then by text; each with its verdict, changes and note.");
        app.MapGet("/v1/learning/agreement", AgreementAsync).WithName("getAgreement").RequireAuthorization(Roles.Reviewer).WithTags("Learning")
            .WithSummary("How often people approved the AI's proposal unchanged, edited or rejected it, by rule, intent, action or confidence band, with Wilson 95 % intervals and weekly trends.");
        app.MapGet("/v1/learning/recommendations", RecommendationsAsync).WithName("listRecommendations").RequireAuthorization(Roles.Reviewer).WithTags("Learning")
            .WithSummary("Policy changes the agreement numbers support (a rule that may run auto, a lower confidence floor); never for pinned or blocking rules.");
        app.MapPost("/v1/learning/recommendations/apply", ApplyAsync).WithName("applyRecommendation").ProducesProblem(409).ProducesProblem(422).RequireAuthorization(Roles.Admin).WithTags("Learning")
            .Accepts<ApplyRecommendationBody>("application/json")
            .WithSummary("Apply a recommendation: its edit to the live policy, published as a new version (audited).");
        app.MapPost("/v1/policy/simulate", SimulateAsync).WithName("simulatePolicy").ProducesProblem(422).RequireAuthorization(Roles.Admin).WithTags("Policy")
            .Accepts<string>("application/yaml", "text/yaml", "text/plain")
            .WithSummary("Replay the workspace's past cases (?since=30d) under a candidate policy (the YAML body): which outcomes change, each team's workload, and the errors it would let through, judged by people's decisions. Publishes nothing.");
        return app;
    }


    private static async Task<Results<Ok<RecommendationsView>, ProblemHttpResult>> RecommendationsAsync(
        string? since, ClaimsPrincipal user, RecommendationService recommendations, CancellationToken cancellationToken)
    {
        var window = since is null ? DefaultWindow : Window(since);
        if (window is null)
        {
            return Invalid("since", "A number of days or hours, such as 30d or 12h (at most 3650d).");
        }

        var (policy, found) = await recommendations.ListAsync(user.WorkspaceId(), window.Value, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new RecommendationsView(policy.Version, found));
    }

    private static async Task<Results<Ok<Api.Contracts.PolicyView>, ProblemHttpResult>> ApplyAsync(
        HttpRequest request, ClaimsPrincipal user, RecommendationService recommendations, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ApplyRecommendationBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.Id))
        {
            return Invalid("id", "Required: the recommendation's id (auto:RULE or floor:0.6), as GET /v1/learning/recommendations lists it.");
        }

        var window = body.Since is null ? DefaultWindow : Window(body.Since);
        if (window is null)
        {
            return Invalid("since", "A number of days or hours, such as 30d or 12h (at most 3650d).");
        }

        var result = await recommendations.ApplyAsync(user.WorkspaceId(), body.Id, window.Value, user.Actor(), cancellationToken).ConfigureAwait(false);
        if (result.Published is not { } published)
        {
            return TypedResults.Problem(detail: result.Refusal, statusCode: StatusCodes.Status409Conflict, title: "Not applicable");
        }

        return TypedResults.Ok(new Api.Contracts.PolicyView(published.Version, published.Source, published.PublishedAt, published.PublishedBy)
        {
            Warnings = result.Warnings.Count == 0 ? null : [.. result.Warnings.Select(static w => new Api.Contracts.PolicyWarningView(w.Field, w.Line, w.Message))],
        });
    }

    private static async Task<Results<Ok<ReplayReport>, ProblemHttpResult>> SimulateAsync(
        HttpRequest request, string? since, ClaimsPrincipal user, PolicyReplayService replay, TimeProvider time, CancellationToken cancellationToken)
    {
        var window = since is null ? PolicyReplayService.DefaultPeriod : Window(since);
        if (window is null)
        {
            return Invalid("since", "A number of days or hours, such as 30d or 12h (at most 3650d).");
        }

        var (source, invalid) = await PolicyBody.ReadAsync(request, "The candidate policy's YAML is required as the request body.", cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var compiled = Core.Policy.PolicyCompiler.Compile(source!);
        if (compiled.Policy is not { } candidate)
        {
            return PolicyBody.Invalid(compiled.Problems, "nothing was replayed");
        }

        return TypedResults.Ok(await replay.RunAsync(user.WorkspaceId(), candidate, time.GetUtcNow() - window.Value, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<PrecedentsView>, ProblemHttpResult>> PrecedentsAsync(
        string id, string? count, ClaimsPrincipal user, IHandoffStore store, Precedents precedents, CancellationToken cancellationToken)
    {
        var n = Precedents.DefaultCount;
        if (count is not null && (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n is < 1 or > 20))
        {
            return Invalid("count", "Must be a whole number from 1 to 20.");
        }

        if (await store.GetCaseAsync(user.WorkspaceId(), id, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return TypedResults.Problem(detail: $"No case '{id}' in this workspace.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        return TypedResults.Ok(new PrecedentsView(found.Id, await precedents.FindAsync(found, n, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<Ok<AgreementView>, ProblemHttpResult>> AgreementAsync(
        string? by, string? since, ClaimsPrincipal user, IHandoffStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        AgreementGroup? group = by?.ToLowerInvariant() switch
        {
            null or "rule" => AgreementGroup.Rule,
            "intent" => AgreementGroup.Intent,
            "action" => AgreementGroup.Action,
            "confidence" => AgreementGroup.Confidence,
            _ => null,
        };
        if (group is null)
        {
            return Invalid("by", "One of: rule, intent, action, confidence.");
        }

        var window = since is null ? DefaultWindow : Window(since);
        if (window is null)
        {
            return Invalid("since", "A number of days or hours, such as 30d or 12h (at most 3650d).");
        }

        var from = time.GetUtcNow() - window.Value;
        var records = await DecisionReader.ReadAsync(store, user.WorkspaceId(), from, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AgreementView(group.Value, from, records.Count, Agreement.Compute(records, group.Value)));
    }

    /// <summary>"30d" or "12h": a positive whole number of days (at most 3650) or hours.</summary>
    internal static TimeSpan? Window(string text)
    {
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            return null;
        }

        return text[^1] switch
        {
            'd' when n <= 3650 => TimeSpan.FromDays(n),
            'h' when n <= 3650 * 24 => TimeSpan.FromHours(n),
            _ => null,
        };
    }

    /// <summary>A 400 problem naming <paramref name="field"/>.</summary>
    internal static ProblemHttpResult Invalid(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] }) { Status = StatusCodes.Status400BadRequest });
}

/// <summary>The recommendations for the live policy version.</summary>
public sealed record RecommendationsView(int PolicyVersion, IReadOnlyList<Recommendation> Recommendations);

/// <summary>What <c>POST /v1/learning/recommendations/apply</c> reads: which recommendation, over which period's decisions.</summary>
public sealed record ApplyRecommendationBody([property: Required] string? Id, string? Since);

/// <summary>A case's precedents.</summary>
public sealed record PrecedentsView(string CaseId, IReadOnlyList<Precedent> Precedents);

/// <summary>Agreement statistics: what they are grouped by, from when, over how many decisions.</summary>
public sealed record AgreementView(AgreementGroup By, DateTimeOffset Since, int Decisions, IReadOnlyList<AgreementRow> Rows);

/// <summary>Reads the ledger from a time on, every page.</summary>
internal static class DecisionReader
{
    public static async Task<List<DecisionRecord>> ReadAsync(IHandoffStore store, string workspaceId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var records = new List<DecisionRecord>();
        for (long after = 0; ;)
        {
            var page = await store.ListDecisionsAsync(workspaceId, since, after, 5000, cancellationToken).ConfigureAwait(false);
            records.AddRange(page.Records);
            if (page.Next is not { } next)
            {
                return records;
            }

            after = next;
        }
    }
}
