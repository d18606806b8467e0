using System.Security.Claims;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Auth;
using Handoff.Server.Cases;
using Handoff.Server.Events;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Api;

/// <summary>
/// Takeover and handback: a person takes the conversation over, the agent relays the customer's messages and the
/// person's replies through the case's transcript, and the person hands it back with a note.
/// </summary>
internal static class TakeoverApi
{
    public static RouteGroupBuilder MapTakeoverApi(this RouteGroupBuilder cases)
    {
        cases.MapPost("/{id}/takeover", TakeOverAsync).WithName("takeOverCase").ProducesProblem(409).RequireAuthorization(Roles.Reviewer)
            .WithSummary("Take the conversation over: the case becomes yours, and the agent relays instead of answering.");
        cases.MapPost("/{id}/messages", PostMessageAsync).WithName("postMessage").ProducesProblem(409).RequireAuthorization(Roles.Any)
            .Accepts<PostMessageRequest>("application/json")
            .WithSummary("Add a message to the transcript: the customer's or the agent's (agent key), or the person's who took it over.");
        cases.MapGet("/{id}/messages", WaitForMessagesAsync).WithName("listMessages").RequireAuthorization(Roles.Any)
            .WithSummary("The transcript's messages after ?after=N, waiting up to ?wait=SECONDS for a new one (long-poll).");
        cases.MapPost("/{id}/handback", HandBackAsync).WithName("handBackCase").ProducesProblem(409).RequireAuthorization(Roles.Reviewer)
            .Accepts<HandBackRequest>("application/json")
            .WithSummary("Hand the conversation back to the agent with a note; the case closes as handedBack.");
        return cases;
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> TakeOverAsync(
        string id, ClaimsPrincipal user, CaseService service, TimeProvider time, CancellationToken cancellationToken) =>
        CasesApi.Updated(id, time, await service.TakeOverAsync(user.WorkspaceId(), id, user.Actor(), cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Created<CaseMessage>, ValidationProblem, ProblemHttpResult>> PostMessageAsync(
        string id, HttpRequest request, ClaimsPrincipal user, CaseService service, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PostMessageRequest>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var role = SubmitCaseValidator.ParseEnum<CaseMessageRole>(body!.Role, "role", errors, required: true);
        CheckText(body.Text, "text", errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // The agent speaks for the customer and for itself; a person speaks for themself, from a reviewer's key.
        var mayPost = role == CaseMessageRole.Person
            ? user.IsInRole(Roles.Reviewer) || user.IsInRole(Roles.Admin)
            : user.IsInRole(Roles.Agent) || user.IsInRole(Roles.Admin);
        if (!mayPost)
        {
            return TypedResults.Problem(
                detail: role == CaseMessageRole.Person
                    ? "A person's reply comes from a reviewer (or admin) key: the person who took the conversation over."
                    : $"The {JsonNamingPolicy.CamelCase.ConvertName(role!.Value.ToString())}'s messages come from an agent (or admin) key.",
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["role"] = ["Not a role this key may post as."] } });
        }

        var update = await service.AddMessageAsync(user.WorkspaceId(), id, role!.Value, body.Text!, user.Actor(), cancellationToken).ConfigureAwait(false);
        return update.Status switch
        {
            CaseUpdateStatus.Updated => TypedResults.Created($"/v1/cases/{id}/messages?after={update.Case!.Transcript![^1].Number - 1}", update.Case.Transcript[^1]),
            CaseUpdateStatus.NotFound => CasesApi.NotFound(id),
            _ => MessageConflict(update.Case!, role.Value, user.Actor()),
        };
    }

    private static async Task<Results<Ok<MessagesView>, ValidationProblem, ProblemHttpResult>> WaitForMessagesAsync(
        string id, string? after, string? wait, ClaimsPrincipal user, CaseWaiter waiter, IOptions<HandoffServerOptions> options, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var last = 0;
        if (after is not null && (!int.TryParse(after, out last) || last < 0))
        {
            errors.Add("after", "Must be a whole number from 0: the number of the last message you have.");
        }

        var seconds = 0;
        var max = options.Value.MaxWaitSeconds;
        if (wait is not null && (!int.TryParse(wait, out seconds) || seconds < 0 || seconds > max))
        {
            errors.Add("wait", $"Must be a whole number of seconds from 0 to {max}.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var found = await waiter.WaitForMessagesAsync(user.WorkspaceId(), id, last, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return CasesApi.NotFound(id);
        }

        var transcript = found.Transcript ?? [];
        return TypedResults.Ok(new MessagesView(found.Id, found.Status, found.AssignedTo, [.. transcript.Where(m => m.Number > last)], transcript.Count));
    }

    private static async Task<Results<Ok<CaseView>, ValidationProblem, ProblemHttpResult>> HandBackAsync(
        string id, HttpRequest request, ClaimsPrincipal user, CaseService service, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<HandBackRequest>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        CheckText(body!.Note, "note", errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var update = await service.HandBackAsync(user.WorkspaceId(), id, user.Actor(), body.Note!, cancellationToken).ConfigureAwait(false);
        return update.Status switch
        {
            CaseUpdateStatus.Updated => TypedResults.Ok(CaseView.From(update.Case!, time.GetUtcNow())),
            CaseUpdateStatus.NotFound => CasesApi.NotFound(id),
            _ => update.Case is { Status: not CaseStatus.TakenOver } current && current.Status.IsOpen()
                ? Conflict(current, "The conversation is not taken over: take it over first, or decide the case.")
                : CasesApi.Conflict(update.Case!),
        };
    }

    private static void CheckText(string? text, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, "Required, and not only white space.");
        }
        else if (text.Length > CaseMessage.MaxTextLength)
        {
            errors.Add(field, $"At most {CaseMessage.MaxTextLength:N0} characters.");
        }
    }

    private static ProblemHttpResult MessageConflict(HandoffCase current, CaseMessageRole role, Actor by)
    {
        if (!current.Status.IsOpen())
        {
            return CasesApi.Conflict(current);
        }

        if ((current.Transcript?.Count ?? 0) >= CaseMessage.MaxPerCase)
        {
            return Conflict(current, $"The transcript holds {CaseMessage.MaxPerCase:N0} messages, as many as a case may; continue in a new case.");
        }

        var owner = current.AssignedTo?.Name ?? "A person";
        return (role, current.Status) switch
        {
            (CaseMessageRole.Agent, CaseStatus.TakenOver) =>
                Conflict(current, $"{owner} has taken this conversation over; relay the customer's messages and wait for their replies."),
            (CaseMessageRole.Person, CaseStatus.TakenOver) when current.AssignedTo?.Id != by.Id =>
                Conflict(current, $"{owner} has taken this conversation over; only they reply in it."),
            _ => Conflict(current, "Take the conversation over before replying in it."),
        };
    }

    private static ProblemHttpResult Conflict(HandoffCase current, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict", extensions: CasesApi.ConflictExtensions(current));
}
