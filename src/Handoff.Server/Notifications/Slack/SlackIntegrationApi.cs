using System.Security.Claims;
using System.Text.RegularExpressions;
using Handoff.Server.Api;
using Handoff.Server.Auth;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications.Slack;

/// <summary>
/// A workspace's Slack settings (admin keys only) and the app's interactivity Request URL, where Slack posts button
/// presses and modal submissions (anonymous: believed only when signed with the workspace's signing secret).
/// </summary>
public static partial class SlackIntegrationApi
{
    public static IEndpointRouteBuilder MapSlackApi(this IEndpointRouteBuilder app)
    {
        var slack = app.MapGroup("/v1/integrations/slack").WithTags("Integrations");
        slack.MapGet("/", GetAsync).WithName("getSlackSettings").RequireAuthorization(Roles.Admin)
            .WithSummary("The workspace's Slack settings, secrets masked, and the interactivity URL to give the Slack app.");
        slack.MapPut("/", SetAsync).WithName("setSlackSettings").RequireAuthorization(Roles.Admin).Accepts<SlackSettingsBody>("application/json")
            .WithSummary("Set Slack up: botToken, signingSecret and channel (bot mode: buttons, deciding from Slack), or incomingWebhookUrl (notify only); events; apiBaseUrl.");
        slack.MapDelete("/", RemoveAsync).WithName("removeSlackSettings").RequireAuthorization(Roles.Admin)
            .WithSummary("Stop posting to Slack; messages not yet sent fail.");
        slack.MapPost("/{workspaceId}/interactions", InteractAsync).WithName("slackInteraction").AllowAnonymous().DisableAntiforgery()
            .WithSummary("Slack's interactivity Request URL: button presses and modal submissions, signed by Slack (form field payload).");
        return app;
    }

    private static async Task<Results<Ok<SlackSettingsView>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal user, IHandoffStore store, IOptions<HandoffServerOptions> options, CancellationToken cancellationToken)
    {
        var workspace = user.WorkspaceId();
        return SlackSettings.Parse(await store.GetIntegrationAsync(workspace, SlackSettings.Kind, cancellationToken).ConfigureAwait(false)) is { } settings
            ? TypedResults.Ok(SlackSettingsView.From(settings, workspace, options.Value.Notifications.PublicUrl))
            : NotSetUp();
    }

    private static async Task<Results<Ok<SlackSettingsView>, ValidationProblem, ProblemHttpResult>> SetAsync(
        HttpRequest request, ClaimsPrincipal user, IHandoffStore store, IOptions<HandoffServerOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<SlackSettingsBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (settings, errors) = Validate(body!);
        if (settings is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var workspace = user.WorkspaceId();
        await store.SetIntegrationAsync(workspace, SlackSettings.Kind, settings.ToJson(), settings.Summary(), user.Actor(), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return TypedResults.Ok(SlackSettingsView.From(settings, workspace, options.Value.Notifications.PublicUrl));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var workspace = user.WorkspaceId();
        if (await store.GetIntegrationAsync(workspace, SlackSettings.Kind, cancellationToken).ConfigureAwait(false) is null)
        {
            return NotSetUp();
        }

        await store.SetIntegrationAsync(workspace, SlackSettings.Kind, null, "removed", user.Actor(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static Task<IResult> InteractAsync(string workspaceId, HttpRequest request, SlackInteractions interactions, CancellationToken cancellationToken) =>
        interactions.HandleAsync(workspaceId, request, cancellationToken);

    /// <summary>The settings <paramref name="body"/> asks for, or the problems with it, each under its field.</summary>
    internal static (SlackSettings? Settings, ValidationErrors Errors) Validate(SlackSettingsBody body)
    {
        var errors = new ValidationErrors();
        var bot = body.BotToken is not null || body.SigningSecret is not null || body.Channel is not null;
        var hook = body.IncomingWebhookUrl is not null;
        Uri? webhook = null;
        if (bot && hook)
        {
            errors.Add("incomingWebhookUrl", "Give either botToken, signingSecret and channel (bot mode), or incomingWebhookUrl (notify only), not both.");
        }
        else if (!bot && !hook)
        {
            errors.Add("botToken", "Required: botToken, signingSecret and channel (bot mode), or incomingWebhookUrl (notify only).");
        }
        else if (bot)
        {
            Check(body.BotToken, "botToken", BotToken(), "The app's bot token: xoxb- followed by letters, digits and dashes, at most 255 characters.", errors);
            Check(body.SigningSecret, "signingSecret", SigningSecret(), "The app's signing secret (Basic Information → App Credentials): 8 to 128 letters and digits.", errors);
            Check(body.Channel, "channel", Channel(), "The channel's id (such as C0123ABCD, from the channel's details) or #name.", errors);
        }
        else
        {
            webhook = IntegrationChecks.Url(body.IncomingWebhookUrl, "incomingWebhookUrl", errors);
        }

        var events = IntegrationChecks.Events(body.Events, errors, SlackSettings.DefaultEvents);
        var api = body.ApiBaseUrl is null ? new Uri(SlackSettings.DefaultApiBaseUrl) : IntegrationChecks.Url(body.ApiBaseUrl, "apiBaseUrl", errors);
        if (errors.Any)
        {
            return (null, errors);
        }

        var settings = new SlackSettings
        {
            BotToken = bot ? body.BotToken : null,
            SigningSecret = bot ? body.SigningSecret : null,
            Channel = bot ? body.Channel : null,
            IncomingWebhookUrl = webhook?.OriginalString,
            Events = events,
            // Methods are resolved against it, so it must end in a slash to keep its last segment.
            ApiBaseUrl = api!.AbsoluteUri.EndsWith('/') ? api.AbsoluteUri : api.AbsoluteUri + "/",
        };
        return (settings, errors);
    }

    private static void Check(string? value, string field, Regex shape, string message, ValidationErrors errors)
    {
        if (value is null)
        {
            errors.Add(field, $"Required in bot mode. {message}");
        }
        else if (!shape.IsMatch(value))
        {
            errors.Add(field, message);
        }
    }

    private static ProblemHttpResult NotSetUp() =>
        TypedResults.Problem(detail: "Slack is not set up for this workspace; PUT /v1/integrations/slack to set it up.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    [GeneratedRegex("^xoxb-[A-Za-z0-9-]{1,250}$")]
    private static partial Regex BotToken();

    [GeneratedRegex("^[A-Za-z0-9]{8,128}$")]
    private static partial Regex SigningSecret();

    [GeneratedRegex("^(#[a-z0-9_-]{1,80}|[A-Z0-9]{2,40})$")]
    private static partial Regex Channel();
}
