using System.Security.Claims;
using Handoff.Core.Routing;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Auth;
using Handoff.Server.Routing;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Api;

/// <summary>
/// The workspace's people as routing sees them: reviewers read them (to pick a colleague), admins change their routing
/// profile and anyone's presence. Accounts themselves (adding, roles, passwords) stay with the dashboard and the CLI.
/// </summary>
public static class PeopleApi
{
    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        var people = app.MapGroup("/v1/people").WithTags("People");
        people.MapGet("/", ListAsync).WithName("listPeople").RequireAuthorization(Roles.Reviewer)
            .WithSummary("The workspace's people, by name, with teams, skills, languages, capacity and presence.");
        people.MapGet("/{id}", GetAsync).WithName("getPerson").RequireAuthorization(Roles.Reviewer)
            .WithSummary("One person.");
        people.MapPatch("/{id}", PatchAsync).WithName("updatePerson").RequireAuthorization(Roles.Admin)
            .Accepts<PersonPatchBody>("application/json")
            .WithSummary("Change a person's skills, languages, capacity or teams.");
        people.MapPut("/{id}/presence", SetPresenceAsync).WithName("setPresence").RequireAuthorization(Roles.Admin)
            .Accepts<PresenceBody>("application/json")
            .WithSummary("Set a person's presence (online, away, offline); it also counts as seeing them now.");
        return app;
    }

    private static async Task<Ok<PersonView[]>> ListAsync(ClaimsPrincipal user, IHandoffStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var workspace = user.WorkspaceId();
        var people = await store.ListUsersAsync(workspace, cancellationToken).ConfigureAwait(false);
        var presence = (await store.ListPresenceAsync(workspace, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.UserId, StringComparer.Ordinal);
        var settings = await store.GetRoutingSettingsAsync(workspace, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return TypedResults.Ok(people.Select(p => PersonView.From(p, presence.GetValueOrDefault(p.Id), now, settings.AwayAfter)).ToArray());
    }

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, IHandoffStore store, TimeProvider time, CancellationToken cancellationToken) =>
        await ViewAsync(store, time, user.WorkspaceId(), id, cancellationToken).ConfigureAwait(false) is { } view ? TypedResults.Ok(view) : NotFound(id);

    private static async Task<Results<Ok<PersonView>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        string id, HttpRequest request, ClaimsPrincipal user, IHandoffStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PersonPatchBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var workspace = user.WorkspaceId();
        if (await store.GetUserAsync(workspace, id, cancellationToken).ConfigureAwait(false) is null)
        {
            return NotFound(id);
        }

        var teams = (await store.ListTeamsAsync(workspace, cancellationToken).ConfigureAwait(false)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var (changes, errors) = PersonPatchValidator.Validate(body!, teams);
        if (changes is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await store.UpdateUserAsync(workspace, id, changes, user.Actor(), cancellationToken).ConfigureAwait(false) is null)
        {
            return NotFound(id);
        }

        return await ViewAsync(store, time, workspace, id, cancellationToken).ConfigureAwait(false) is { } view ? TypedResults.Ok(view) : NotFound(id);
    }

    private static async Task<Results<Ok<PresenceView>, ValidationProblem, ProblemHttpResult>> SetPresenceAsync(
        string id, HttpRequest request, ClaimsPrincipal user, PresenceService presence, IHandoffStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PresenceBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Presence is null || !EnumNames<Presence>.Values.TryGetValue(body.Presence, out var chosen))
        {
            return JsonBody.Invalid("presence", $"Required, one of: {EnumNames<Presence>.Allowed}.");
        }

        var workspace = user.WorkspaceId();
        if (await presence.SetAsync(workspace, id, chosen, user.Actor(), cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return NotFound(id);
        }

        var settings = await store.GetRoutingSettingsAsync(workspace, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(PresenceView.From(stored, time.GetUtcNow(), settings.AwayAfter));
    }

    private static async Task<PersonView?> ViewAsync(IHandoffStore store, TimeProvider time, string workspace, string id, CancellationToken cancellationToken)
    {
        if (await store.GetUserAsync(workspace, id, cancellationToken).ConfigureAwait(false) is not { } person)
        {
            return null;
        }

        var presence = await store.GetPresenceAsync(workspace, id, cancellationToken).ConfigureAwait(false);
        var settings = await store.GetRoutingSettingsAsync(workspace, cancellationToken).ConfigureAwait(false);
        return PersonView.From(person, presence, time.GetUtcNow(), settings.AwayAfter);
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"No person '{id}' in this workspace.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
