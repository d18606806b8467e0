namespace Handoff.Storage.Outbox;

/// <summary>
/// Where a workspace's events are posted: a URL, the event types it subscribed to, and the signing secrets in force
/// (the newest first; during a rotation the old one stays until <see cref="WebhookSecretEntry.ExpiresAt"/>, and every
/// delivery carries a signature by each).
/// </summary>
public sealed record WebhookEndpoint
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Url { get; init; }
    public string? Description { get; init; }
    /// <summary>Event types (<c>Handoff.Core.Notifications.EventTypes</c>) this endpoint receives.</summary>
    public required IReadOnlyList<string> EventTypes { get; init; }
    public required IReadOnlyList<WebhookSecretEntry> Secrets { get; init; }
    /// <summary>When it stopped receiving (by an admin, or by Handoff after 410 Gone or days of failures); null while enabled.</summary>
    public DateTimeOffset? DisabledAt { get; init; }
    public string? DisabledReason { get; init; }
    /// <summary>The first failed attempt since the last delivered one; null while healthy.</summary>
    public DateTimeOffset? FailingSince { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public bool Enabled => DisabledAt is null;

    /// <summary>The secrets to sign with at <paramref name="now"/>: every one not yet expired, newest first.</summary>
    public IReadOnlyList<string> ActiveSecrets(DateTimeOffset now) =>
        [.. Secrets.Where(s => s.InForceAt(now)).Select(static s => s.Secret)];

    /// <summary>Whether the endpoint wants events of <paramref name="type"/>.</summary>
    public bool Wants(string type) => EventTypes.Contains(type, StringComparer.Ordinal);
}

/// <summary>A signing secret (<c>whsec_…</c>), when it was made, and when it stops being used (null: never).</summary>
public sealed record WebhookSecretEntry(string Secret, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>Whether it still signs at <paramref name="now"/>.</summary>
    public bool InForceAt(DateTimeOffset now) => ExpiresAt is not { } until || until > now;
}
