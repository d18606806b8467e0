using System.Security.Claims;
using Handoff.Server.Api.Contracts;
using Handoff.Server.Auth;
using Handoff.Server.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Api;

/// <summary>Webhook endpoints, the case callbacks' secret, and the delivery log with its dead letters: admin keys only.</summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/v1/webhooks").WithTags("Webhooks").RequireAuthorization(Roles.Admin);
        webhooks.MapGet("/", ListAsync).WithName("listWebhooks").WithSummary("The workspace's webhook endpoints (without their secrets).");
        webhooks.MapPost("/", AddAsync).WithName("addWebhook").Accepts<WebhookBody>("application/json")
            .WithSummary("Add an endpoint: url and the event types it receives. The answer carries its signing secret.");
        webhooks.MapGet("/{id}", GetAsync).WithName("getWebhook").WithSummary("One endpoint.");
        webhooks.MapPatch("/{id}", UpdateAsync).WithName("updateWebhook").Accepts<WebhookPatch>("application/json")
            .WithSummary("Change an endpoint's url, event types, description, or enable/disable it; absent fields stay.");
        webhooks.MapDelete("/{id}", RemoveAsync).WithName("removeWebhook").WithSummary("Remove an endpoint; its unsent messages are cancelled.");
        webhooks.MapGet("/{id}/secret", SecretsAsync).WithName("getWebhookSecrets").WithSummary("The endpoint's signing secrets in force, newest first.");
        webhooks.MapPost("/{id}/rotate", RotateAsync).WithName("rotateWebhookSecret").Accepts<RotateBody>("application/json")
            .WithSummary("A new signing secret; the previous one keeps signing too for overlapSeconds (default a day).");

        var callbacks = app.MapGroup("/v1/callbacks").WithTags("Webhooks").RequireAuthorization(Roles.Admin);
        callbacks.MapGet("/secret", CallbackSecretAsync).WithName("getCallbackSecret").WithSummary("The secret that signs posts to cases' callbackUrl (made on first use).");
        callbacks.MapPost("/secret/rotate", RotateCallbackSecretAsync).WithName("rotateCallbackSecret").Accepts<RotateBody>("application/json")
            .WithSummary("A new callback signing secret; the previous one keeps signing too for overlapSeconds (default a day).");

        var deliveries = app.MapGroup("/v1/deliveries").WithTags("Webhooks").RequireAuthorization(Roles.Admin);
        deliveries.MapGet("/", ListDeliveriesAsync).WithName("listDeliveries")
            .WithSummary("The delivery log, newest first: ?channel=webhook|callback|slack|teams|email, ?target=, ?status=pending|delivered|failed|cancelled, ?before=ID, ?limit=.");
        deliveries.MapGet("/{id}", GetDeliveryAsync).WithName("getDelivery").WithSummary("One delivery with its body and every attempt.");
        deliveries.MapPost("/{id}/replay", ReplayOneAsync).WithName("replayDelivery").ProducesProblem(409).WithSummary("Send a failed delivery again now.");
        deliveries.MapPost("/replay", ReplayAsync).WithName("replayDeliveries").Accepts<ReplayBody>("application/json")
            .WithSummary("Send every failed delivery again, of a channel or target, created since a time.");
        return app;
    }

    private static async Task<Ok<WebhookView[]>> ListAsync(ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListWebhookEndpointsAsync(user.WorkspaceId(), cancellationToken).ConfigureAwait(false)).Select(WebhookView.From).ToArray());

    private static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken) =>
        await store.GetWebhookEndpointAsync(user.WorkspaceId(), id, cancellationToken).ConfigureAwait(false) is { } endpoint
            ? TypedResults.Ok(WebhookView.From(endpoint))
            : NotFound(id);

    private static async Task<Results<Created<WebhookView>, ValidationProblem, ProblemHttpResult>> AddAsync(
        HttpRequest request, ClaimsPrincipal user, IHandoffStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<WebhookBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var url = WebhookValidator.Url(body!.Url, errors, required: true);
        var types = WebhookValidator.EventTypes(body.EventTypes, errors, required: true);
        WebhookValidator.Description(body.Description, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var now = time.GetUtcNow();
        var secret = WebhookSecrets.Generate();
        var added = await store.AddWebhookEndpointAsync(new WebhookEndpoint
        {
            Id = "",
            WorkspaceId = user.WorkspaceId(),
            Url = url!,
            Description = WebhookValidator.Trim(body.Description),
            EventTypes = types!,
            Secrets = [new WebhookSecretEntry(secret, now)],
            CreatedAt = now,
            UpdatedAt = now,
        }, user.Actor(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/v1/webhooks/{added.Id}", WebhookView.From(added) with { Secret = secret });
    }

    private static async Task<Results<Ok<WebhookView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, HttpRequest request, ClaimsPrincipal user, IHandoffStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<WebhookPatch>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (await store.GetWebhookEndpointAsync(user.WorkspaceId(), id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return NotFound(id);
        }

        var errors = new ValidationErrors();
        var url = WebhookValidator.Url(body!.Url, errors, required: false);
        var types = WebhookValidator.EventTypes(body.EventTypes, errors, required: false);
        WebhookValidator.Description(body.Description, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var changed = current with
        {
            Url = url ?? current.Url,
            EventTypes = types ?? current.EventTypes,
            Description = body.Description is null ? current.Description : WebhookValidator.Trim(body.Description),
            DisabledAt = body.Enabled switch
            {
                true => null,
                false => current.DisabledAt ?? time.GetUtcNow(),
                null => current.DisabledAt,
            },
            DisabledReason = body.Enabled is false && current.DisabledAt is null ? "disabled by an admin" : current.DisabledReason,
        };
        return await store.UpdateWebhookEndpointAsync(changed, user.Actor(), cancellationToken).ConfigureAwait(false) is { } updated
            ? TypedResults.Ok(WebhookView.From(updated))
            : NotFound(id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string id, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken) =>
        await store.RemoveWebhookEndpointAsync(user.WorkspaceId(), id, user.Actor(), cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : NotFound(id);

    private static async Task<Results<Ok<SecretsView>, ProblemHttpResult>> SecretsAsync(
        string id, ClaimsPrincipal user, IHandoffStore store, TimeProvider time, CancellationToken cancellationToken) =>
        await store.GetWebhookEndpointAsync(user.WorkspaceId(), id, cancellationToken).ConfigureAwait(false) is { } endpoint
            ? TypedResults.Ok(SecretsView.From(endpoint.Secrets, time.GetUtcNow()))
            : NotFound(id);

    private static async Task<Results<Ok<SecretsView>, ValidationProblem, ProblemHttpResult>> RotateAsync(
        string id, HttpRequest request, ClaimsPrincipal user, IHandoffStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (overlap, problem) = await ReadOverlapAsync(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (await store.GetWebhookEndpointAsync(user.WorkspaceId(), id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return NotFound(id);
        }

        var now = time.GetUtcNow();
        var rotated = current with { Secrets = WebhookSecrets.Rotate(current.Secrets, now, overlap) };
        return await store.UpdateWebhookEndpointAsync(rotated, user.Actor(), cancellationToken).ConfigureAwait(false) is { } updated
            ? TypedResults.Ok(SecretsView.From(updated.Secrets, now))
            : NotFound(id);
    }

    private static async Task<Ok<SecretsView>> CallbackSecretAsync(ClaimsPrincipal user, CallbackSecrets secrets, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(SecretsView.From(await secrets.GetOrCreateAsync(user.WorkspaceId(), cancellationToken).ConfigureAwait(false), time.GetUtcNow()));

    private static async Task<Results<Ok<SecretsView>, ValidationProblem, ProblemHttpResult>> RotateCallbackSecretAsync(
        HttpRequest request, ClaimsPrincipal user, CallbackSecrets secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        var (overlap, problem) = await ReadOverlapAsync(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var rotated = await secrets.RotateAsync(user.WorkspaceId(), overlap, user.Actor(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(SecretsView.From(rotated, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<DeliveryPage>, ValidationProblem>> ListDeliveriesAsync(
        ClaimsPrincipal user, IHandoffStore store, string? channel, string? target, string? status, string? before, string? limit, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (channel is not null && channel is not (DeliveryChannels.Webhook or DeliveryChannels.Callback or DeliveryChannels.Slack or DeliveryChannels.Teams or DeliveryChannels.Email))
        {
            errors.Add("channel", "One of: webhook, callback, slack, teams, email.");
        }

        var parsedStatus = SubmitCaseValidator.ParseEnum<DeliveryStatus>(status, "status", errors, required: false);
        var size = 50;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size) || size is < 1 or > 500))
        {
            errors.Add("limit", "A whole number from 1 to 500.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var page = await store.ListDeliveriesAsync(user.WorkspaceId(), new DeliveryQuery(channel, target, parsedStatus, before, size + 1), cancellationToken).ConfigureAwait(false);
        var items = page.Take(size).Select(DeliveryView.From).ToArray();
        return TypedResults.Ok(new DeliveryPage(items, page.Count > size ? items[^1].Id : null));
    }

    private static async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetDeliveryAsync(string id, ClaimsPrincipal user, IHandoffStore store, CancellationToken cancellationToken)
    {
        var workspace = user.WorkspaceId();
        if (await store.GetDeliveryAsync(workspace, id, cancellationToken).ConfigureAwait(false) is not { } delivery)
        {
            return DeliveryNotFound(id);
        }

        var attempts = await store.ListDeliveryAttemptsAsync(workspace, id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(DeliveryView.From(delivery) with { Body = delivery.Body, AttemptLog = [.. attempts.Select(AttemptView.From)] });
    }

    private static async Task<Results<Ok<ReplayView>, ProblemHttpResult>> ReplayOneAsync(
        string id, ClaimsPrincipal user, IHandoffStore store, DeliverySignal signal, TimeProvider time, CancellationToken cancellationToken)
    {
        var workspace = user.WorkspaceId();
        if (await store.GetDeliveryAsync(workspace, id, cancellationToken).ConfigureAwait(false) is not { } delivery)
        {
            return DeliveryNotFound(id);
        }

        if (delivery.Status != DeliveryStatus.Failed)
        {
            return TypedResults.Problem(
                detail: $"Only a failed delivery can be sent again; this one is {DeliveryView.StatusName(delivery.Status)}.",
                statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        var count = await store.ReplayDeliveriesAsync(workspace, new DeliveryReplay(DeliveryId: id), user.Actor(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        signal.Set();
        return TypedResults.Ok(new ReplayView(count));
    }

    private static async Task<Results<Ok<ReplayView>, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        HttpRequest request, ClaimsPrincipal user, IHandoffStore store, DeliverySignal signal, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ReplayBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var count = await store.ReplayDeliveriesAsync(
            user.WorkspaceId(), new DeliveryReplay(null, body!.Channel, body.Target, body.Since), user.Actor(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        signal.Set();
        return TypedResults.Ok(new ReplayView(count));
    }

    private static async Task<(TimeSpan Overlap, ProblemHttpResult? Problem)> ReadOverlapAsync(HttpRequest request)
    {
        if (request.ContentLength is null or 0 && !request.HasJsonContentType())
        {
            return (WebhookSecrets.DefaultOverlap, null);
        }

        var (body, problem) = await JsonBody.ReadAsync<RotateBody>(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return (default, problem);
        }

        return body!.OverlapSeconds switch
        {
            null => (WebhookSecrets.DefaultOverlap, null),
            >= 0 and <= 7 * 86_400 and var seconds => (TimeSpan.FromSeconds(seconds), null),
            _ => (default, Field("overlapSeconds", "From 0 (the old secret stops now) to 604800 (a week).")),
        };
    }

    private static ProblemHttpResult Field(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] }) { Status = StatusCodes.Status400BadRequest });

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"No webhook endpoint '{id}' in this workspace.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static ProblemHttpResult DeliveryNotFound(string id) =>
        TypedResults.Problem(detail: $"No delivery '{id}' in this workspace.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
