using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Core.Notifications.Slack;
using Handoff.Server.Cases;
using Handoff.Server.Dashboard;
using Handoff.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications.Slack;

/// <summary>
/// Deciding from Slack: what Slack posts to a workspace's interactivity Request URL when a person presses a message's
/// button or submits the edit modal. The request is believed only when signed with the workspace's signing secret
/// (<see cref="SlackSignature"/>) within the replay window. The Slack user is mapped to a person of the workspace by
/// the e-mail address Slack has for them (<c>users.info</c>), and decides as that person through
/// <see cref="CaseService.DecideAsync"/> — the dashboard's own path: the same checks (the case still open and not held
/// by someone else, approvals a policy reserves for a role), the same audit entry. Whatever stops a decision is told
/// to that person alone; nothing else changes. Everything happens before the answer, within Slack's 3-second budget.
/// </summary>
internal sealed partial class SlackInteractions(
    IHandoffStore store,
    CaseService cases,
    SlackApi slack,
    IOptions<HandoffServerOptions> options,
    TimeProvider time,
    ILogger<SlackInteractions> logger)
{
    /// <summary>What the agent is told when a person rejects with Slack's button, which asks for no reason.</summary>
    public const string RejectReason = "Rejected by a person, from Slack.";

    // Slack gives up on an answer after 3 seconds; the calls Handoff makes to Slack meanwhile share this much of it.
    private static readonly TimeSpan SlackCallsBudget = TimeSpan.FromSeconds(2.5);

    /// <summary>Answers one interaction of <paramref name="workspaceId"/>'s Slack app.</summary>
    public async Task<IResult> HandleAsync(string workspaceId, HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(request.Body, cancellationToken).ConfigureAwait(false);
        var settings = SlackSettings.Parse(await store.GetIntegrationAsync(workspaceId, SlackSettings.Kind, cancellationToken).ConfigureAwait(false));
        if (settings is not { IsBot: true })
        {
            // A workspace that does not exist looks exactly like one without a Slack app.
            return Unauthorized("This workspace has no Slack app set up to decide from Slack.");
        }

        var check = SlackSignature.Verify(
            settings.SigningSecret!, request.Headers["X-Slack-Request-Timestamp"], request.Headers["X-Slack-Signature"], body, time.GetUtcNow());
        if (check != SlackSignatureCheck.Valid)
        {
            LogRefused(logger, workspaceId, check);
            return Unauthorized(check == SlackSignatureCheck.Stale
                ? "The request's timestamp is more than 5 minutes from now."
                : "The request is not signed with this workspace's Slack signing secret.");
        }

        if (Payload(body) is not { } payload)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["payload"] = ["A form field 'payload' holding Slack's interaction JSON is required."] });
        }

        using var budget = new CancellationTokenSource(SlackCallsBudget, time);
        using var calls = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var interaction = new Interaction(workspaceId, settings, payload, ResponseUrl(payload, settings));
        var type = Text(payload, "type");
        try
        {
            return type switch
            {
                "block_actions" => await ActAsync(interaction, calls.Token).ConfigureAwait(false),
                "view_submission" => await SubmitAsync(interaction, calls.Token).ConfigureAwait(false),
                // Anything else (a modal closed, a shortcut) has nothing to do with cases.
                _ => TypedResults.Ok(),
            };
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Slack was too slow to answer Handoff; whatever was decided stays decided, and Slack still gets its answer.
            LogOutOfTime(logger, type, workspaceId);
            return type == "view_submission" ? Info("Slack was too slow to answer Handoff; try again, or decide in Handoff.") : TypedResults.Ok();
        }
    }

    private sealed record Interaction(string WorkspaceId, SlackSettings Settings, JsonElement Payload, Uri? ResponseUrl);

    // A button: Approve and Reject decide; Edit… opens the modal; the link button needs nothing.
    private async Task<IResult> ActAsync(Interaction i, CancellationToken cancellationToken)
    {
        var action = i.Payload.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array && actions.GetArrayLength() > 0
            ? actions[0]
            : default;
        var actionId = action.ValueKind == JsonValueKind.Object ? Text(action, "action_id") : null;
        if (actionId is not (SlackActions.Approve or SlackActions.Reject or SlackActions.Edit) || Text(action, "value") is not { Length: > 0 } caseId)
        {
            return TypedResults.Ok();
        }

        var (channel, ts) = Message(i.Payload);
        var (person, problem) = await PersonAsync(i, cancellationToken).ConfigureAwait(false);
        if (person is null)
        {
            await TellAsync(i, problem!, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok();
        }

        if (actionId == SlackActions.Edit)
        {
            await OpenEditorAsync(i, person, caseId, channel, ts, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok();
        }

        var decision = actionId == SlackActions.Approve ? new DecisionRequest(Verdict.Approve) : new DecisionRequest(Verdict.Reject, RejectReason);
        if (await DecideAsync(i, person, caseId, decision, channel, ts, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            await TellAsync(i, refusal.Message, cancellationToken).ConfigureAwait(false);
        }

        return TypedResults.Ok();
    }

    private async Task OpenEditorAsync(Interaction i, User person, string caseId, string? channel, string? ts, CancellationToken cancellationToken)
    {
        var c = await store.GetCaseAsync(i.WorkspaceId, caseId, cancellationToken).ConfigureAwait(false);
        var problem = c switch
        {
            null => NoSuchCase,
            _ when Unavailable(c, person) is { } why => why,
            _ => SlackMessages.EditProblem(c.Content.Proposal),
        };
        if (problem is null && Text(i.Payload, "trigger_id") is { } trigger)
        {
            var view = SlackMessages.EditModal(Notice(EventTypes.CaseEscalated, c!), c!.Content.Proposal!, channel, ts);
            var opened = await slack.OpenViewAsync(i.Settings, trigger, view, cancellationToken).ConfigureAwait(false);
            if (opened.Ok)
            {
                return;
            }

            LogSlackFailed(logger, "views.open", i.WorkspaceId, opened.Error);
            problem = $"Slack did not open the editor ({opened.Error}); open the case in Handoff to edit it.";
        }

        await TellAsync(i, problem ?? "Slack sent no trigger to open the editor with; open the case in Handoff to edit it.", cancellationToken).ConfigureAwait(false);
    }

    // The edit modal submitted: decide as edit (or approve, if nothing changed), or say what is wrong in the modal.
    private async Task<IResult> SubmitAsync(Interaction i, CancellationToken cancellationToken)
    {
        var view = i.Payload.TryGetProperty("view", out var v) ? v : default;
        if (SlackEdits.Target(view) is not { } target)
        {
            return TypedResults.Ok();
        }

        var (person, problem) = await PersonAsync(i, cancellationToken).ConfigureAwait(false);
        if (person is null)
        {
            return Info(problem!);
        }

        if (await store.GetCaseAsync(i.WorkspaceId, target.CaseId, cancellationToken).ConfigureAwait(false) is not { Content.Proposal: { } proposal })
        {
            return Info(NoSuchCase);
        }

        var edit = SlackEdits.Read(view, proposal);
        if (edit.Request is null)
        {
            return Errors(edit.Errors);
        }

        return await DecideAsync(i, person, target.CaseId, edit.Request, target.Channel, target.Ts, cancellationToken).ConfigureAwait(false) switch
        {
            null => TypedResults.Ok(),
            // A problem with what was typed goes beside the input; anything else replaces the modal.
            { Field: "arguments" } r => Errors(new Dictionary<string, string> { [SlackActions.ArgumentsInput] = r.Message }),
            { Field: "text" } r when proposal.Text is not null => Errors(new Dictionary<string, string> { [SlackActions.TextInput] = r.Message }),
            { } r => Info(r.Message),
        };
    }

    /// <summary>What stopped a decision, for the person who tried, and the request field it concerns (when one).</summary>
    private sealed record Refusal(string Message, string? Field = null);

    // Decides as the person; once decided, the message the buttons were on shows who decided. Null when it decided.
    private async Task<Refusal?> DecideAsync(
        Interaction i, User person, string caseId, DecisionRequest request, string? channel, string? ts, CancellationToken cancellationToken)
    {
        // The decision itself must not be cut short by the budget for Slack's calls: it is the one thing that counts.
        var (update, invalid) = await cases.DecideAsync(
            i.WorkspaceId, caseId, request, DashboardSession.ActorOf(person), DashboardSession.RoleOf(person), CancellationToken.None).ConfigureAwait(false);
        if (invalid is not null)
        {
            var (field, messages) = invalid.Errors.First();
            return new Refusal(string.Join(" ", messages), field);
        }

        switch (update!)
        {
            case { Status: CaseUpdateStatus.NotFound }:
                return new Refusal(NoSuchCase);
            case { Status: CaseUpdateStatus.Updated, Case: { } decided } when decided.Status.IsOpen():
                // One approval of several: the case waits for the others.
                var needed = CaseTransitions.ApprovalsNeeded(decided);
                return new Refusal($"Your approval is in: {decided.Approvals?.Count ?? 1} of {needed}. The case waits for the others.");
            case { Status: CaseUpdateStatus.Updated, Case: { } decided }:
                LogDecided(logger, caseId, person.Id, request.Verdict);
                await ShowDecidedAsync(i, decided, channel, ts, cancellationToken).ConfigureAwait(false);
                return null;
            case { Case: { } current }:
                // Someone got there first (or holds it): say who, and let the message show it too.
                if (!current.Status.IsOpen())
                {
                    await ShowDecidedAsync(i, current, channel, ts, cancellationToken).ConfigureAwait(false);
                }

                return new Refusal(Unavailable(current, person) ?? "The case cannot be decided that way now.");
            default:
                return new Refusal("The case cannot be decided that way now.");
        }
    }

    private async Task ShowDecidedAsync(Interaction i, HandoffCase decided, string? channel, string? ts, CancellationToken cancellationToken)
    {
        if (channel is null || ts is null)
        {
            return;
        }

        var updated = await slack.UpdateMessageAsync(i.Settings, channel, ts, SlackMessages.ForDecided(Notice(EventTypes.CaseDecided, decided)), cancellationToken)
            .ConfigureAwait(false);
        if (!updated.Ok)
        {
            LogSlackFailed(logger, "chat.update", i.WorkspaceId, updated.Error);
        }
    }

    // The person of the workspace whose e-mail address Slack has for the Slack user, or why there is none.
    private async Task<(User? Person, string? Problem)> PersonAsync(Interaction i, CancellationToken cancellationToken)
    {
        if (!i.Payload.TryGetProperty("user", out var user) || user.ValueKind != JsonValueKind.Object || Text(user, "id") is not { } slackUser)
        {
            return (null, "Slack did not say who you are; decide in Handoff instead.");
        }

        var info = await slack.UserInfoAsync(i.Settings, slackUser, cancellationToken).ConfigureAwait(false);
        if (!info.Ok)
        {
            LogSlackFailed(logger, "users.info", i.WorkspaceId, info.Error);
            return (null, $"Handoff could not look you up in Slack ({info.Error}); an admin may need to give the app the users:read and users:read.email scopes.");
        }

        if (info.Text("user", "profile", "email") is not { Length: > 0 } email)
        {
            return (null, "Your Slack profile shows Handoff no e-mail address, and that is how Handoff knows who you are; decide in Handoff instead.");
        }

        var person = await store.FindUserByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        return person is { DisabledAt: null } && person.WorkspaceId == i.WorkspaceId
            ? (person, null)
            : (null, $"No one in this Handoff workspace may sign in with {email}, the address Slack has for you; ask an admin to add you, or decide in Handoff.");
    }

    // Why the person cannot act on the case now, or null when they can.
    private string? Unavailable(HandoffCase c, User person) => c switch
    {
        { Status: var s } when !s.IsOpen() => $"Already decided: {Notice(EventTypes.CaseDecided, c).Headline}.",
        { Status: CaseStatus.TakenOver, AssignedTo: { } owner } => $"{owner.Name} has taken this conversation over.",
        { AssignedTo: { } holder } when holder.Id != person.Id => $"{holder.Name} is working on this case; ask them, or open it in Handoff.",
        _ => null,
    };

    private const string NoSuchCase = "This case is not in Handoff (any more).";

    private CaseNotice Notice(string eventType, HandoffCase c) =>
        CaseNotices.From(eventType, c, options.Value.Notifications.CaseLink(c.Id), time.GetUtcNow());

    // Told to the person alone, through the interaction's response_url; a failure is logged, the answer unchanged.
    private async Task TellAsync(Interaction i, string message, CancellationToken cancellationToken)
    {
        if (i.ResponseUrl is null)
        {
            LogCannotTell(logger, i.WorkspaceId, message);
            return;
        }

        var told = await slack.PostToUrlAsync(i.ResponseUrl, SlackMessages.Ephemeral(message), cancellationToken).ConfigureAwait(false);
        if (!told.Ok)
        {
            LogSlackFailed(logger, "response_url", i.WorkspaceId, told.Error);
        }
    }

    // Only a response_url on Slack's own host (or the configured API's, for a stand-in) is posted to: the payload is
    // signed, but a leaked signing secret must not make Handoff post wherever it is told.
    private static Uri? ResponseUrl(JsonElement payload, SlackSettings settings) =>
        Text(payload, "response_url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
        && (uri.Host == "hooks.slack.com" && uri.Scheme == "https" || uri.Host == new Uri(settings.ApiBaseUrl).Host)
            ? uri
            : null;

    // The message the button was on: the container names it for messages; channel and message for older payloads.
    private static (string? Channel, string? Ts) Message(JsonElement payload)
    {
        var container = payload.TryGetProperty("container", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var channel = container.ValueKind == JsonValueKind.Object ? Text(container, "channel_id") : null;
        var ts = container.ValueKind == JsonValueKind.Object ? Text(container, "message_ts") : null;
        channel ??= payload.TryGetProperty("channel", out var ch) && ch.ValueKind == JsonValueKind.Object ? Text(ch, "id") : null;
        ts ??= payload.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object ? Text(m, "ts") : null;
        return (channel, ts);
    }

    private static JsonElement? Payload(byte[] body)
    {
        try
        {
            var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
            return form.TryGetValue("payload", out var values) && values.Count == 1 && JsonElement.Parse(values[0]!) is { ValueKind: JsonValueKind.Object } payload
                ? payload
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IResult Unauthorized(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    // view_submission answers: errors beside inputs, or the modal replaced by a message.
    private static IResult Errors(IReadOnlyDictionary<string, string> errors) =>
        TypedResults.Json(new { response_action = "errors", errors }, HandoffSlackJson);

    private static IResult Info(string message) =>
        TypedResults.Json(new { response_action = "update", view = JsonElement.Parse(SlackMessages.InfoModal("Handoff", message)) }, HandoffSlackJson);

    // Slack's names as written (response_action, block ids): no naming policy.
    private static readonly JsonSerializerOptions HandoffSlackJson = new();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Slack interaction for workspace {WorkspaceId}: signature {Check}")]
    private static partial void LogRefused(ILogger logger, string workspaceId, SlackSignatureCheck check);

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId} decided from Slack by {PersonId}: {Verdict}")]
    private static partial void LogDecided(ILogger logger, string caseId, string personId, Verdict verdict);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack's {Method} failed for workspace {WorkspaceId}: {Error}")]
    private static partial void LogSlackFailed(ILogger logger, string method, string workspaceId, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack answered Handoff too slowly during a {Type} interaction for workspace {WorkspaceId}; answered without finishing")]
    private static partial void LogOutOfTime(ILogger logger, string? type, string workspaceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Slack interaction for workspace {WorkspaceId} came without a usable response_url; not told: {Message}")]
    private static partial void LogCannotTell(ILogger logger, string workspaceId, string message);
}
