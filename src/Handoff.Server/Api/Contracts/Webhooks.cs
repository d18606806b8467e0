using Handoff.Server.Api.OpenApi;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Handoff.Storage.Outbox;

namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>POST /v1/webhooks</c>.</summary>
public sealed record WebhookBody([property: Required] string? Url, [property: Required] IReadOnlyList<string?>? EventTypes, string? Description);

/// <summary>The body of <c>PATCH /v1/webhooks/{id}</c>: absent fields stay as they are.</summary>
public sealed record WebhookPatch(string? Url, IReadOnlyList<string?>? EventTypes, string? Description, bool? Enabled);

/// <summary>How long the previous secret keeps signing after a rotation; absent: a day.</summary>
public sealed record RotateBody(int? OverlapSeconds);

/// <summary>Which failed deliveries to send again; absent fields match all.</summary>
public sealed record ReplayBody([property: OneOf("webhook", "callback", "slack", "teams", "email")] string? Channel, string? Target, DateTimeOffset? Since);

/// <summary>A webhook endpoint as the API shows it; <see cref="Secret"/> only in the answer that created it.</summary>
public sealed record WebhookView(
    string Id,
    string Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    DateTimeOffset? DisabledAt,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    internal static WebhookView From(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Description, e.EventTypes, e.Enabled, e.DisabledAt, e.DisabledReason, e.FailingSince, e.CreatedAt, e.UpdatedAt);
}

/// <summary>The signing secrets in force, newest first: every delivery carries a signature by each.</summary>
public sealed record SecretsView(IReadOnlyList<SecretView> Secrets)
{
    internal static SecretsView From(IEnumerable<WebhookSecretEntry> secrets, DateTimeOffset now) =>
        new([.. secrets.Where(s => s.InForceAt(now)).Select(static s => new SecretView(s.Secret, s.CreatedAt, s.ExpiresAt))]);
}

public sealed record SecretView(string Secret, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>One message of the outbox as the delivery log shows it; <see cref="Body"/> and <see cref="AttemptLog"/> only when read one by one.</summary>
public sealed record DeliveryView(
    string Id,
    string EventId,
    string EventType,
    string? CaseId,
    string Channel,
    string Target,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Body { get; init; }

    [JsonPropertyName("attemptLog")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AttemptView>? AttemptLog { get; init; }

    internal static string StatusName(DeliveryStatus status) => status.ToString().ToLowerInvariant();

    internal static DeliveryView From(Delivery d) => new(
        d.Id, d.EventId, d.EventType, d.CaseId, d.Channel, d.Target, StatusName(d.Status), d.Attempts,
        d.Status == DeliveryStatus.Pending ? d.NextAt : null, d.LastStatusCode, d.LastError, d.CreatedAt, d.UpdatedAt);
}

public sealed record AttemptView(int Number, DateTimeOffset At, bool Delivered, int? StatusCode, int LatencyMs, string? Error, string? ResponseExcerpt)
{
    internal static AttemptView From(DeliveryAttempt a) => new(a.Number, a.At, a.Delivered, a.StatusCode, a.LatencyMs, a.Error, a.ResponseExcerpt);
}

/// <summary>A page of the delivery log; <see cref="NextBefore"/> fetches the next (older) page, null at the end.</summary>
public sealed record DeliveryPage(IReadOnlyList<DeliveryView> Items, string? NextBefore);

public sealed record ReplayView(int Replayed);
