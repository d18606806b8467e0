using System.Security.Claims;
using Handoff.Core.Cases;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Auth;
using Handoff.Server.Cases;
using Handoff.Server.Events;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Api;

public static partial class CasesApi
{
    public static IEndpointRouteBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/v1/cases").WithTags("Cases");

        cases.MapPost("/", SubmitAsync).WithName("submitCase").ProducesProblem(422).RequireAuthorization(Roles.Agent)
            .Accepts<SubmitCaseRequest>("application/json")
            .WithSummary("Submit a case; the policy decides whether a person must look.");
        cases.MapGet("/", ListAsync).WithName("listCases").RequireAuthorization(Roles.Reviewer)
            .WithSummary("List cases, newest first, with keyset pagination; ?receipt=missing keeps approved cases not yet reported as carried out.");
        cases.MapGet("/{id}", GetAsync).WithName("getCase").RequireAuthorization(Roles.Any)
            .WithSummary("Get one case.");
        cases.MapGet("/{id}/decision", WaitForDecisionAsync).WithName("getDecision").RequireAuthorization(Roles.Any)
            .WithSummary("Get the decision, waiting up to ?wait=SECONDS for it (long-poll).");
        cases.MapGet("/{id}/events", CaseEventStream.StreamAsync).WithName("streamCaseEvents").RequireAuthorization(Roles.Any)
            .WithSummary("Server-sent events for the case's lifecycle.");
        cases.MapPost("/{id}/claim", ClaimAsync).WithName("claimCase").ProducesProblem(409).RequireAuthorization(Roles.Reviewer)
            .WithSummary("Take the case: nobody else can decide it while you hold it.");
        cases.MapPost("/{id}/release", ReleaseAsync).WithName("releaseCase").ProducesProblem(409).RequireAuthorization(Roles.Reviewer)
            .WithSummary("Put a case you hold back in the queue.");
        cases.MapPost("/{id}/decision", DecideAsync).WithName("decideCase").ProducesProblem(409).RequireAuthorization(Roles.Reviewer)
            .Accepts<DecideRequest>("application/json")
            .WithSummary("Decide the case: approve, edit, choose, reject or respond.");
        cases.MapTakeoverApi();
        cases.MapReceiptsApi();
        cases.MapPost("/{id}/reassign", ReassignAsync).WithName("reassignCase").ProducesProblem(409).RequireAuthorization(Roles.Admin)
            .Accepts<ReassignRequest>("application/json")
            .WithSummary("Give an open case to a person (supervisors: admin keys).");
        cases.MapPost("/{id}/transfer", TransferAsync).WithName("transferCase").ProducesProblem(409).RequireAuthorization(Roles.Reviewer)
            .Accepts<TransferRequest>("application/json")
            .WithSummary("Hand a case you hold to a colleague, or to another team's queue, with a note.");
        cases.MapNextCaseApi();
        app.MapGet("/v1/events", WorkspaceEventStream.StreamAsync).WithName("streamEvents").RequireAuthorization(Roles.Any).WithTags("Cases")
            .WithSummary("Server-sent events for every case of the caller (an agent key: the cases it submitted; a reviewer or admin key: the workspace's), from now or after Last-Event-ID / ?after=.");
        return app;
    }

    private static async Task<Results<Created<CaseView>, Ok<CaseView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpRequest request, ClaimsPrincipal user, CaseService service, Routing.WaitService waits, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<SubmitCaseRequest>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        // The header sent twice arrives as two values (joined here with a comma), or as one comma-joined line when the
        // client or a proxy merged them, as HTTP allows. Taken as one key "a,b", a retry that sends only "a" would
        // create the case again.
        string? idempotencyKey = request.Headers["Idempotency-Key"];
        if (idempotencyKey?.Contains(',', StringComparison.Ordinal) is true)
        {
            return JsonBody.Invalid("Idempotency-Key", "Send the header once, with one key (no commas); it came with more than one.");
        }

        if (idempotencyKey is { Length: 0 or > SubmittedCase.MaxIdempotencyKeyLength })
        {
            return JsonBody.Invalid("Idempotency-Key", $"Must be 1 to {SubmittedCase.MaxIdempotencyKeyLength} characters.");
        }

        var errors = new ValidationErrors();
        var submitted = SubmitCaseValidator.Validate(body!, errors);
        if (submitted is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var result = await service.SubmitAsync(user.WorkspaceId(), submitted, idempotencyKey, user.Actor(), cancellationToken).ConfigureAwait(false);
        var view = CaseView.From(result.Case, time.GetUtcNow());
        if (result.Case.Status.IsOpen())
        {
            // Only a case a person must see waits; the auto path pays nothing for this.
            var wait = await waits.EstimateAsync(result.Case.WorkspaceId, result.Case.Evaluation.Team, result.Case.Evaluation.Priority, cancellationToken).ConfigureAwait(false);
            view = view with
            {
                Handling = new HandlingView(
                    result.Case.IsLive() ? "live" : "queue", (long)Math.Ceiling(wait.Expected.TotalSeconds), wait.Explanation, result.Case.LiveUntil),
            };
        }

        if (!result.Created && !submitted.SameAs(result.Case))
        {
            // Reusing a key for a different request is a client bug; answering with the old case would hide it.
            return TypedResults.Problem(
                detail: "This Idempotency-Key was used before with a different case; use a new key for a new case.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                extensions: new Dictionary<string, object?>
                {
                    ["errors"] = new Dictionary<string, string[]> { ["Idempotency-Key"] = ["Already used for case " + result.Case.Id + " with a different body."] },
                });
        }

        if (!result.Created)
        {
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(view);
        }

        return TypedResults.Created($"/v1/cases/{view.Id}", view);
    }

    private static async Task<Results<Ok<CaseListView>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, IHandoffStore store, TimeProvider time, string? status, string? team, string? limit, string? cursor, string? receipt,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (receipt is not (null or "missing"))
        {
            errors.Add("receipt", "Only 'missing': approved cases whose agent has not reported carrying them out yet.");
        }

        var parsedStatus = SubmitCaseValidator.ParseEnum<CaseStatus>(status, "status", errors, required: false);
        var parsedLimit = 50;
        if (limit is not null && (!int.TryParse(limit, out parsedLimit) || parsedLimit is < 1 or > 200))
        {
            errors.Add("limit", "Must be a whole number from 1 to 200.");
        }

        if (team is not null && team.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add("team", JsonBody.NulMessage);
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        try
        {
            var page = await store.ListCasesAsync(user.WorkspaceId(), new CaseQuery(parsedStatus, team, parsedLimit, cursor, AwaitingExecution: receipt == "missing"), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new CaseListView([.. page.Items.Select(c => CaseView.From(c, time.GetUtcNow()))], page.NextCursor));
        }
        catch (ArgumentException e) when (e.ParamName == "cursor")
        {
            return JsonBody.Invalid("cursor", "Not a cursor this server gave out; pass nextCursor from the previous page.");
        }
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, IHandoffStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = await store.GetCaseAsync(user.WorkspaceId(), id, cancellationToken).ConfigureAwait(false);
        return found is null ? NotFound(id) : TypedResults.Ok(CaseView.From(found, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<DecisionView>, Accepted<CaseStatusView>, ValidationProblem, ProblemHttpResult>> WaitForDecisionAsync(
        string id, string? wait, ClaimsPrincipal user, CaseWaiter waiter, IOptions<HandoffServerOptions> options, CancellationToken cancellationToken)
    {
        var seconds = 0;
        var max = options.Value.MaxWaitSeconds;
        if (wait is not null && (!int.TryParse(wait, out seconds) || seconds < 0 || seconds > max))
        {
            return JsonBody.Invalid("wait", $"Must be a whole number of seconds from 0 to {max}.");
        }

        return await waiter.WaitAsync(user.WorkspaceId(), id, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false) switch
        {
            null => NotFound(id),
            { Decision: { } decision } found => TypedResults.Ok(new DecisionView(found.Id, found.Status, decision, found.Transcript) { Approvals = found.Approvals }),
            var found => TypedResults.Accepted($"/v1/cases/{found.Id}/decision", new CaseStatusView(found.Id, found.Status, found.AssignedTo, found.ExpiresAt)),
        };
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> ClaimAsync(
        string id, ClaimsPrincipal user, CaseService service, TimeProvider time, CancellationToken cancellationToken) =>
        Updated(id, time, await service.ClaimAsync(user.WorkspaceId(), id, user.Actor(), cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> ReleaseAsync(
        string id, ClaimsPrincipal user, CaseService service, TimeProvider time, CancellationToken cancellationToken) =>
        Updated(id, time, await service.ReleaseAsync(user.WorkspaceId(), id, user.Actor(), cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<CaseView>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        string id, HttpRequest request, ClaimsPrincipal user, CaseService service, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<DecideRequest>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var verdict = SubmitCaseValidator.ParseEnum<Verdict>(body!.Verdict, "verdict", errors, required: true);
        SubmitCaseValidator.CheckObject(body.Arguments, "arguments", errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var decisionRequest = new DecisionRequest(verdict!.Value, body.Text, body.Arguments, body.Option, body.Note);
        var actor = user.Actor();
        var (update, invalid) = await service.DecideAsync(user.WorkspaceId(), id, decisionRequest, actor, actor.Kind, cancellationToken).ConfigureAwait(false);
        if (invalid is { Forbidden: true })
        {
            return TypedResults.Problem(
                detail: string.Join(" ", invalid.Errors.Values.SelectMany(static e => e)), statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        if (invalid is not null)
        {
            return TypedResults.ValidationProblem(invalid.Errors.ToDictionary(e => e.Key, e => e.Value));
        }

        return update!.Status switch
        {
            CaseUpdateStatus.Updated => TypedResults.Ok(CaseView.From(update.Case!, time.GetUtcNow())),
            CaseUpdateStatus.NotFound => NotFound(id),
            _ => Conflict(update.Case!),
        };
    }

    internal static Results<Ok<CaseView>, ProblemHttpResult> Updated(string id, TimeProvider time, CaseUpdate update) => update.Status switch
    {
        CaseUpdateStatus.Updated => TypedResults.Ok(CaseView.From(update.Case!, time.GetUtcNow())),
        CaseUpdateStatus.NotFound => NotFound(id),
        // Only a claim or takeover, the caller's own: they are the one out of room.
        CaseUpdateStatus.OverCapacity => OverCapacity("You hold as much as your capacity allows; finish or release a case first."),
        _ => Conflict(update.Case!),
    };

    /// <summary>409 for a person with no room for one more case; nothing changed.</summary>
    internal static ProblemHttpResult OverCapacity(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Over capacity");

    internal static ProblemHttpResult Conflict(HandoffCase current)
    {
        var status = StatusName(current.Status);
        var detail = current switch
        {
            { Decision: { DecidedBy: { } by } } => $"The case was already decided ({status}) by {by.Name}.",
            { Decision: not null } => $"The case was already closed ({status}).",
            { Status: CaseStatus.TakenOver, AssignedTo: { } owner } => $"{owner.Name} has taken this conversation over.",
            { AssignedTo: { } holder } => $"The case is held by {holder.Name}.",
            _ => $"The case is {status} and cannot change that way.",
        };
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict", extensions: ConflictExtensions(current));
    }

    /// <summary>What a 409 carries besides its detail: the case's status, and who holds or decided it.</summary>
    internal static Dictionary<string, object?> ConflictExtensions(HandoffCase current)
    {
        var extensions = new Dictionary<string, object?> { ["caseStatus"] = StatusName(current.Status) };
        if (current.AssignedTo is { } assigned)
        {
            extensions["assignedTo"] = assigned;
        }

        if (current.Decision?.DecidedBy is { } decidedBy)
        {
            extensions["decidedBy"] = decidedBy;
        }

        return extensions;
    }

    // As the API writes it everywhere else: camelCase ("takenOver").
    private static string StatusName(CaseStatus status) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"No case '{id}' in this workspace.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
