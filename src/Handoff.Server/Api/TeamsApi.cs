using System.Security.Claims;
using System.Text.Json;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Auth;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Api;

/// <summary>Teams and the workspace's routing settings: reviewers read them, admins change them.</summary>
public static class TeamsApi
{
    public static IEndpointRouteBuilder MapTeamsApi(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/v1/teams").WithTags("Teams");
        teams.MapGet("/", ListAsync).WithName("listTeams").RequireAuthorization(Roles.Reviewer)
            .WithSummary("The workspace's teams, by name, with their members.");
        teams.MapPost("/", AddAsync).WithName("addTeam").ProducesProblem(409).RequireAuthorization(Roles.Admin)
            .Accepts<TeamBody>("application/json")
            .WithSummary("Add a team: name, mode (push|pull), working hours, accept timeout, overflow team, supervisor.");
        teams.MapGet("/{name}", GetAsync).WithName("getTeam").RequireAuthorization(Roles.Reviewer)
            .WithSummary("One team with its members.");
        teams.MapPut("/{name}", UpdateAsync).WithName("updateTeam").RequireAuthorization(Roles.Admin)
            .Accepts<TeamBody>("application/json")
            .WithSummary("Replace every setting of a team (absent ones take their defaults).");
        teams.MapDelete("/{name}", RemoveAsync).WithName("removeTeam").ProducesProblem(409).RequireAuthorization(Roles.Admin)
            .WithSummary("Remove a team; its members lose it. 409 while another team overflows to it.");

        var routing = app.MapGroup("/v1/routing").WithTags("Teams");
        routing.MapGet("/settings", GetSettingsAsync).WithName("getRoutingSettings").RequireAuthorization(Roles.Reviewer)
            .WithSummary("Capacity weights (queued case, live conversation) and how long before an unseen person counts as away.");
        routing.MapPut("/settings", SetSettingsAsync).WithName("setRoutingSettings").RequireAuthorization(Roles.Admin)
            .Accepts<RoutingSettingsBody>("application/json")
            .WithSummary("Change the routing settings; absent fields keep their values.");
        return app;
    }

    private static async Task<Ok<TeamView[]>> ListAsync(ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var workspace = user.WorkspaceId();
        var teams = await store.ListTeamsAsync(workspace, cancellationToken).ConfigureAwait(false);
        var people = await store.ListUsersAsync(workspace, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(teams.Select(t => TeamView.From(t, people)).ToArray());
    }

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> GetAsync(string name, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var workspace = user.WorkspaceId();
        return await store.GetTeamAsync(workspace, name, cancellationToken).ConfigureAwait(false) is { } team
            ? TypedResults.Ok(await ViewAsync(store, team, cancellationToken).ConfigureAwait(false))
            : NotFound(name);
    }

    private static async Task<Results<Created<TeamView>, ValidationProblem, ProblemHttpResult>> AddAsync(
        HttpRequest request, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<TeamBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (team, errors) = TeamValidator.Validate(body!, user.WorkspaceId(), null);
        if (team is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var result = await store.AddTeamAsync(team, user.Actor(), cancellationToken).ConfigureAwait(false);
        if (result.Team is not { } added)
        {
            return Refused(team.Name, result);
        }

        return TypedResults.Created($"/v1/teams/{added.Name}", await ViewAsync(store, added, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<TeamView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string name, HttpRequest request, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<TeamBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        // An unknown team is a 404 whatever the body says: another workspace's team must look exactly like none.
        if (await store.GetTeamAsync(user.WorkspaceId(), name, cancellationToken).ConfigureAwait(false) is null)
        {
            return NotFound(name);
        }

        var (team, errors) = TeamValidator.Validate(body!, user.WorkspaceId(), name);
        if (team is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var result = await store.UpdateTeamAsync(team, user.Actor(), cancellationToken).ConfigureAwait(false);
        return result.Team is { } updated
            ? TypedResults.Ok(await ViewAsync(store, updated, cancellationToken).ConfigureAwait(false))
            : Refused(name, result);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string name, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var result = await store.RemoveTeamAsync(user.WorkspaceId(), name, user.Actor(), cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            TeamResultStatus.Done => TypedResults.NoContent(),
            _ => Refused(name, result),
        };
    }

    private static async Task<Ok<RoutingSettingsView>> GetSettingsAsync(ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(RoutingSettingsView.From(await store.GetRoutingSettingsAsync(user.WorkspaceId(), cancellationToken).ConfigureAwait(false)));

    private static async Task<Results<Ok<RoutingSettingsView>, ValidationProblem, ProblemHttpResult>> SetSettingsAsync(
        HttpRequest request, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<RoutingSettingsBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var current = await store.GetRoutingSettingsAsync(user.WorkspaceId(), cancellationToken).ConfigureAwait(false);
        var errors = new ValidationErrors();
        if (body!.QueuedWeight is < 1 or > RoutingSettings.MaxWeight)
        {
            errors.Add("queuedWeight", $"Must be 1 to {RoutingSettings.MaxWeight}.");
        }

        if (body.LiveWeight is < 1 or > RoutingSettings.MaxWeight)
        {
            errors.Add("liveWeight", $"Must be 1 to {RoutingSettings.MaxWeight}.");
        }

        var awayAfter = current.AwayAfter;
        if (body.AwayAfter.ValueKind != JsonValueKind.Undefined
            && (!Durations.TryParse(body.AwayAfter, out awayAfter) || awayAfter < RoutingSettings.MinAwayAfter || awayAfter > RoutingSettings.MaxAwayAfter
                || awayAfter.Ticks % TimeSpan.TicksPerMillisecond != 0))
        {
            errors.Add("awayAfter", "Must be a duration of 30 s to 1 d: seconds as a number, or such as \"2m\".");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var settings = new RoutingSettings(body.QueuedWeight ?? current.QueuedWeight, body.LiveWeight ?? current.LiveWeight, awayAfter);
        return TypedResults.Ok(RoutingSettingsView.From(await store.SetRoutingSettingsAsync(user.WorkspaceId(), settings, user.Actor(), cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<TeamView> ViewAsync(IHandoffStore store, Team team, CancellationToken cancellationToken) =>
        TeamView.From(team, await store.ListUsersAsync(team.WorkspaceId, cancellationToken).ConfigureAwait(false));

    /// <summary>A team write the store refused, as the problem that names what is wrong.</summary>
    internal static ProblemHttpResult Refused(string name, TeamResult result) => result.Status switch
    {
        TeamResultStatus.NotFound => NotFound(name),
        TeamResultStatus.NameTaken => TypedResults.Problem(
            detail: $"The workspace already has a team '{name}'; change it with PUT /v1/teams/{name}.", statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        TeamResultStatus.InUse => TypedResults.Problem(
            detail: $"Team '{name}' is the overflow team of {string.Join(", ", result.OverflowFrom.Select(t => $"'{t}'"))}; change theirs first.",
            statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            extensions: new Dictionary<string, object?> { ["overflowFrom"] = result.OverflowFrom }),
        _ => Field(TeamErrors.Describe(result.Status)),
    };

    private static ProblemHttpResult Field((string Field, string Message) error) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [error.Field] = [error.Message] })
        {
            Status = StatusCodes.Status400BadRequest,
        });

    internal static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem(detail: $"No team '{name}' in this workspace.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
