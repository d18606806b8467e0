using System.Security.Claims;
using Handoff.Core.Routing;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Auth;
using Handoff.Server.Routing;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Api;

/// <summary>
/// "Next case" for a person of a pull team: the most urgent waiting case they may take becomes theirs. Nothing
/// waiting is not an error (204); a person who is full is (409), since they can do something about it.
/// </summary>
internal static class NextCaseApi
{
    public static RouteGroupBuilder MapNextCaseApi(this RouteGroupBuilder cases)
    {
        cases.MapPost("/next", TakeNextAsync).WithName("takeNextCase").ProducesProblem(409).RequireAuthorization(Roles.Reviewer)
            .Accepts<NextCaseRequest>("application/json")
            .WithSummary("Give a person of a pull team the most urgent case waiting for them (priority, SLA due, age), within their capacity.");
        return cases;
    }

    private static async Task<Results<Ok<CaseView>, NoContent, ValidationProblem, ProblemHttpResult>> TakeNextAsync(
        HttpRequest request, ClaimsPrincipal user, IHandoffStore store, NextCaseService next, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<NextCaseRequest>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var workspace = user.WorkspaceId();
        var errors = new ValidationErrors();
        var person = body!.Person is { Length: > 0 } id ? await store.GetUserAsync(workspace, id, cancellationToken).ConfigureAwait(false) : null;
        if (body.Person is not { Length: > 0 })
        {
            errors.Add("person", "Required: the id (usr_…) of the person who takes the case.");
        }
        else if (person is not { DisabledAt: null })
        {
            errors.Add("person", "No such person in this workspace, or they are disabled.");
        }

        if (body.Team is { } team && person is { DisabledAt: null })
        {
            await CheckTeamAsync(store, workspace, person, team, errors, cancellationToken).ConfigureAwait(false);
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var result = await next.TakeAsync(workspace, person!.Id, body.Team, user.Actor(), cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            NextCaseStatus.Taken => TypedResults.Ok(CaseView.From(result.Case!, time.GetUtcNow())),
            NextCaseStatus.NothingWaiting => TypedResults.NoContent(),
            NextCaseStatus.OverCapacity => CasesApi.OverCapacity(
                $"{person.Name} holds as much as their capacity ({person.Capacity}) allows for the cases waiting; finish or release one first."),
            // Disabled or removed between the check and the write.
            _ => JsonBody.Invalid("person", "No such person in this workspace, or they are disabled."),
        };
    }

    private static async Task CheckTeamAsync(IHandoffStore store, string workspace, User person, string team, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (!RoutingNames.IsToken(team))
        {
            errors.Add("team", "Must be a team name: a lowercase token (letters and digits, with - or _ inside).");
        }
        else if (await store.GetTeamAsync(workspace, team, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            errors.Add("team", "No such team in this workspace.");
        }
        else if (found.Mode != AssignmentMode.Pull)
        {
            errors.Add("team", "This team's cases are offered to its members (push mode), not taken.");
        }
        else if (!person.Teams.Contains(team, StringComparer.Ordinal))
        {
            errors.Add("team", $"{person.Name} is not a member of this team.");
        }
    }
}
