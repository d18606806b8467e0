using System.Security.Claims;
using Handoff.Server.Api;
using Handoff.Server.Auth;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Notifications.Teams;

/// <summary>A workspace's Microsoft Teams settings: admin keys only.</summary>
public static class TeamsIntegrationApi
{
    public static IEndpointRouteBuilder MapTeamsIntegrationApi(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/v1/integrations/teams").WithTags("Integrations").RequireAuthorization(Roles.Admin);
        teams.MapGet("/", GetAsync).WithName("getTeamsSettings").WithSummary("The workspace's Microsoft Teams settings, the webhook URL masked.");
        teams.MapPut("/", SetAsync).WithName("setTeamsSettings").Accepts<TeamsSettingsBody>("application/json")
            .WithSummary("Post cards to Microsoft Teams: webhookUrl (a Teams Workflows webhook) and events.");
        teams.MapDelete("/", RemoveAsync).WithName("removeTeamsSettings").WithSummary("Stop posting to Microsoft Teams; cards not yet sent fail.");
        return app;
    }

    private static async Task<Results<Ok<TeamsSettingsView>, ProblemHttpResult>> GetAsync(ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken) =>
        TeamsSettings.Parse(await store.GetIntegrationAsync(user.WorkspaceId(), TeamsSettings.Kind, cancellationToken).ConfigureAwait(false)) is { } settings
            ? TypedResults.Ok(TeamsSettingsView.From(settings))
            : NotSetUp();

    private static async Task<Results<Ok<TeamsSettingsView>, ValidationProblem, ProblemHttpResult>> SetAsync(
        HttpRequest request, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<TeamsSettingsBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var url = body!.WebhookUrl is null ? null : IntegrationChecks.Url(body.WebhookUrl, "webhookUrl", errors);
        if (body.WebhookUrl is null)
        {
            errors.Add("webhookUrl", "Required: the Teams Workflows webhook URL to post cards to.");
        }

        var events = IntegrationChecks.Events(body.Events, errors, TeamsSettings.DefaultEvents);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var settings = new TeamsSettings { WebhookUrl = url!.OriginalString, Events = events };
        await store.SetIntegrationAsync(user.WorkspaceId(), TeamsSettings.Kind, settings.ToJson(), settings.Summary(), user.Actor(), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return TypedResults.Ok(TeamsSettingsView.From(settings));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var workspace = user.WorkspaceId();
        if (await store.GetIntegrationAsync(workspace, TeamsSettings.Kind, cancellationToken).ConfigureAwait(false) is null)
        {
            return NotSetUp();
        }

        await store.SetIntegrationAsync(workspace, TeamsSettings.Kind, null, "removed", user.Actor(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotSetUp() =>
        TypedResults.Problem(detail: "Microsoft Teams is not set up for this workspace; PUT /v1/integrations/teams to set it up.",
            statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
