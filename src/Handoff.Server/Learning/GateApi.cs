using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Server.Api;
using Handoff.Server.Auth;
using Handoff.Server.Events;
using Handoff.Server.Policies;
using Handoff.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Learning;

/// <summary>The learned gate over the API: where it stands, its stop switch, and the QA queue of approvals made without a person.</summary>
public static class GateApi
{
    public static IEndpointRouteBuilder MapGateApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/learning/gate", StatusAsync).WithName("getGate").RequireAuthorization(Roles.Reviewer).WithTags("Learning")
            .WithSummary("The learned gate: its mode and risk bound, the decisions it learned from, its certified threshold (or why it has none), its live QA error bound, and whether it is stopped.");
        app.MapPost("/v1/learning/gate", SwitchAsync).WithName("switchGate").RequireAuthorization(Roles.Admin).WithTags("Learning")
            .Accepts<GateSwitchBody>("application/json")
            .WithSummary("Stop or resume the learned gate ({\"stopped\": true, \"reason\": \"…\"}); audited, admins told.");
        app.MapPost("/v1/learning/gate/train", TrainAsync).WithName("trainGate").RequireAuthorization(Roles.Admin).WithTags("Learning")
            .WithSummary("Train and recalibrate the learned gate now (it also trains in the background); answers with where it stands after.");
        app.MapGet("/v1/learning/qa", QueueAsync).WithName("listQaQueue").RequireAuthorization(Roles.Reviewer).WithTags("Learning")
            .WithSummary("Cases approved without a person (by the learned gate, or sampled auto approvals) waiting for a QA check, oldest first.");
        app.MapPost("/v1/cases/{id}/qa", CheckAsync).WithName("checkQa").ProducesProblem(409).RequireAuthorization(Roles.Reviewer).WithTags("Learning")
            .Accepts<QaCheckBody>("application/json")
            .WithSummary("Record a QA check of an approved case: would you have approved it unchanged ({\"agreed\": true|false, \"note\": \"…\"})? Once per case.");
        return app;
    }

    private static async Task<Ok<GateView>> StatusAsync(ClaimsPrincipal user, GateService gate, PolicyService policies, CancellationToken cancellationToken)
    {
        var workspaceId = user.WorkspaceId();
        var settings = (await policies.GetAsync(workspaceId, cancellationToken).ConfigureAwait(false)).Policy.Learning;
        return TypedResults.Ok(await ViewAsync(gate, workspaceId, settings, cancellationToken).ConfigureAwait(false));
    }

    internal static async Task<GateView> ViewAsync(GateService gate, string workspaceId, LearningSettings settings, CancellationToken cancellationToken)
    {
        var state = gate.State(workspaceId);
        if (settings.Mode == LearningMode.Off)
        {
            return new GateView(settings, false, state?.Stopped ?? false, state?.StopReason, "learning is off in this policy", null, 0, 0, null, null, null);
        }

        if (state is null || !state.Settings.Equals(settings))
        {
            return new GateView(settings, false, state?.Stopped ?? false, state?.StopReason, "not trained yet on this policy's learning settings; training runs in the background", null, 0, 0, null, null, null);
        }

        var live = await gate.LiveAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        return new GateView(settings, state.Acting, state.Stopped, state.StopReason, state.Status, state.TrainedAt, state.Population, state.CalibrationSize,
            state.Threshold?.Threshold is null ? null : state.Threshold, state.LiveSince, live);
    }

    private static async Task<Results<Ok<GateView>, ProblemHttpResult>> SwitchAsync(
        HttpRequest request, ClaimsPrincipal user, GateService gate, PolicyService policies, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<GateSwitchBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Stopped is not { } stopped)
        {
            return Invalid("stopped", "Required: true to stop the learned gate, false to let it act again.");
        }

        if (body.Reason is { Length: > 500 })
        {
            return Invalid("reason", "At most 500 characters.");
        }

        var workspaceId = user.WorkspaceId();
        await gate.SetStoppedAsync(workspaceId, stopped, string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim(), user.Actor(), cancellationToken).ConfigureAwait(false);
        var settings = (await policies.GetAsync(workspaceId, cancellationToken).ConfigureAwait(false)).Policy.Learning;
        return TypedResults.Ok(await ViewAsync(gate, workspaceId, settings, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Ok<GateView>> TrainAsync(ClaimsPrincipal user, GateService gate, PolicyService policies, CancellationToken cancellationToken)
    {
        var workspaceId = user.WorkspaceId();
        await gate.TrainAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var settings = (await policies.GetAsync(workspaceId, cancellationToken).ConfigureAwait(false)).Policy.Learning;
        return TypedResults.Ok(await ViewAsync(gate, workspaceId, settings, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<QaQueueView>, ProblemHttpResult>> QueueAsync(
        string? limit, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var n = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n is < 1 or > 500))
        {
            return Invalid("limit", "Must be a whole number from 1 to 500.");
        }

        var cases = await store.ListQaCasesAsync(user.WorkspaceId(), n, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new QaQueueView([.. cases.Select(QaItem.Of)]));
    }

    private static async Task<Results<Ok<QaItem>, ProblemHttpResult>> CheckAsync(
        string id, HttpRequest request, ClaimsPrincipal user, IHandoffStore store, GateService gate, CaseNotifier notifier, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<QaCheckBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Agreed is not { } agreed)
        {
            return Invalid("agreed", "Required: true when you would have approved the proposal unchanged, false when not.");
        }

        if (body.Note is { Length: > 2000 })
        {
            return Invalid("note", "At most 2,000 characters.");
        }

        var workspaceId = user.WorkspaceId();
        var review = new QaReview(agreed, user.Actor(), time.GetUtcNow(), string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim());
        var update = await store.CheckQaAsync(workspaceId, id, review, cancellationToken).ConfigureAwait(false);
        switch (update.Status)
        {
            case CaseUpdateStatus.NotFound:
                return TypedResults.Problem(detail: $"No case '{id}' waits for a QA check in this workspace.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
            case CaseUpdateStatus.Updated:
                notifier.Changed(workspaceId, id);
                await gate.CheckLiveAsync(workspaceId, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok(QaItem.Of(update.Case!));
            default:
                return TypedResults.Problem(detail: $"Case '{id}' was checked already.", statusCode: StatusCodes.Status409Conflict, title: "Already checked");
        }
    }

    private static ProblemHttpResult Invalid(string field, string message) => LearningApi.Invalid(field, message);
}

/// <summary>What <c>POST /v1/learning/gate</c> reads.</summary>
public sealed record GateSwitchBody([property: Required] bool? Stopped, string? Reason);

/// <summary>What <c>POST /v1/cases/{id}/qa</c> reads.</summary>
public sealed record QaCheckBody([property: Required] bool? Agreed, string? Note);

/// <summary>
/// The learned gate of a workspace: its settings, whether it approves cases now, its stop switch, where it stands in
/// words, what it learned from, its certified threshold and the live check since that took effect.
/// </summary>
public sealed record GateView(
    LearningSettings Settings,
    bool Acting,
    bool Stopped,
    string? StopReason,
    string Status,
    DateTimeOffset? TrainedAt,
    int Decisions,
    int CalibrationSize,
    GateThreshold? Threshold,
    DateTimeOffset? LiveSince,
    LiveBound? Live);

/// <summary>The QA queue.</summary>
public sealed record QaQueueView(IReadOnlyList<QaItem> Cases);

/// <summary>A case in (or just out of) the QA queue: what was approved, by whom, the gate's score, and the check once made.</summary>
public sealed record QaItem(string CaseId, string? Summary, string? Action, double? Confidence, string ApprovedBy, double? Score, DateTimeOffset CreatedAt, QaReview? Qa)
{
    internal static QaItem Of(HandoffCase c) => new(
        c.Id, c.Content.Summary, c.Content.Proposal?.Action?.Name, c.Content.Proposal?.Confidence,
        c.Evaluation.Learned is { Approved: true } ? "learned" : "policy", c.Evaluation.Learned?.Score, c.CreatedAt, c.Qa);
}
