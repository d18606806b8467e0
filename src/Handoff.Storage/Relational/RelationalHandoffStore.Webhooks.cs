using System.Data.Common;
using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Storage.Outbox;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    private const string EndpointColumns =
        "id, workspace_id, url, description, event_types, secrets, disabled_at, disabled_reason, failing_since, created_at, updated_at";

    /// <inheritdoc />
    public Task<WebhookEndpoint> AddWebhookEndpointAsync(WebhookEndpoint endpoint, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            var added = endpoint with { Id = NewId("whe"), CreatedAt = w.Now, UpdatedAt = w.Now, FailingSince = null };
            BindEndpoint(w.Command($"""
                INSERT INTO webhook_endpoints ({EndpointColumns})
                VALUES (@id, @ws, @url, @description, @types, @secrets, @disabled, @reason, @failing, @created, @updated)
                """), added).ExecuteNonQuery();
            w.Append(added.WorkspaceId, actor, AuditData.WebhookAdded, added.Id, AuditData.Webhook(added));
            return added;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<WebhookEndpoint?> GetWebhookEndpointAsync(string workspaceId, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(id);
        var rows = await QueryAsync($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE id = @id AND workspace_id = @ws", ReadEndpoint, cancellationToken,
            ("@id", id), ("@ws", workspaceId)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(string? workspaceId, CancellationToken cancellationToken = default) =>
        workspaceId is null
            ? await QueryAsync($"SELECT {EndpointColumns} FROM webhook_endpoints ORDER BY id", ReadEndpoint, cancellationToken).ConfigureAwait(false)
            : await QueryAsync($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE workspace_id = @ws ORDER BY id", ReadEndpoint, cancellationToken,
                ("@ws", workspaceId)).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<WebhookEndpoint?> UpdateWebhookEndpointAsync(WebhookEndpoint endpoint, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            if (ReadEndpoint(w, endpoint.WorkspaceId, endpoint.Id) is not { } current)
            {
                return null;
            }

            // Enabled again by an admin: healthy until it fails again.
            var changed = endpoint with
            {
                CreatedAt = current.CreatedAt,
                UpdatedAt = w.Now,
                FailingSince = endpoint.DisabledAt is null && current.DisabledAt is not null ? null : current.FailingSince,
                DisabledReason = endpoint.DisabledAt is null ? null : endpoint.DisabledReason ?? current.DisabledReason,
            };
            BindEndpoint(w.Command("""
                UPDATE webhook_endpoints SET url = @url, description = @description, event_types = @types, secrets = @secrets,
                    disabled_at = @disabled, disabled_reason = @reason, failing_since = @failing, updated_at = @updated
                WHERE id = @id AND workspace_id = @ws
                """), changed).ExecuteNonQuery();
            if (changed.DisabledAt is not null && current.DisabledAt is null)
            {
                FailPending(w, changed.WorkspaceId, changed.Id, w.Now, "the endpoint was disabled");
            }

            w.Append(changed.WorkspaceId, actor, AuditData.WebhookChanged, changed.Id, AuditData.Webhook(changed));
            return changed;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveWebhookEndpointAsync(string workspaceId, string id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            if (ReadEndpoint(w, workspaceId, id) is not { } current)
            {
                return false;
            }

            // Its messages stay in the log of deliveries; those not yet sent never will be.
            w.Command("""
                UPDATE outbox SET status = 'cancelled', next_at = NULL, updated_at = @now
                WHERE workspace_id = @ws AND channel = 'webhook' AND target = @id AND status IN ('pending', 'failed')
                """).Bind("@now", DbValues.Time(w.Now)).Bind("@ws", workspaceId).Bind("@id", id).ExecuteNonQuery();
            w.Command("DELETE FROM webhook_endpoints WHERE id = @id AND workspace_id = @ws").Bind("@id", id).Bind("@ws", workspaceId).ExecuteNonQuery();
            w.Append(workspaceId, actor, AuditData.WebhookRemoved, id, AuditData.Webhook(current));
            return true;
        }, cancellationToken);
    }

    // By the system: 410 Gone, or failing for days. Its pending messages become dead letters, to replay once it is
    // enabled again; the audit entry is what tells the admins.
    private static void DisableEndpoint(BatchWriter w, string workspaceId, string id, string reason, DateTimeOffset at)
    {
        if (ReadEndpoint(w, workspaceId, id) is not { DisabledAt: null } current)
        {
            return;
        }

        w.Command("UPDATE webhook_endpoints SET disabled_at = @at, disabled_reason = @reason, updated_at = @at WHERE id = @id AND workspace_id = @ws")
            .Bind("@at", DbValues.Time(at)).Bind("@reason", reason).Bind("@id", id).Bind("@ws", workspaceId).ExecuteNonQuery();
        FailPending(w, workspaceId, id, at, $"the endpoint was disabled: {reason}");
        w.Append(workspaceId, Actor.System, AuditData.WebhookDisabled, id, AuditData.WebhookDisabledBy(current.Url, reason));
    }

    private static void FailPending(BatchWriter w, string workspaceId, string id, DateTimeOffset at, string why) =>
        w.Command("""
            UPDATE outbox SET status = 'failed', next_at = NULL, last_error = coalesce(last_error, @why), updated_at = @at
            WHERE workspace_id = @ws AND channel = 'webhook' AND target = @id AND status = 'pending'
            """).Bind("@why", why).Bind("@at", DbValues.Time(at)).Bind("@ws", workspaceId).Bind("@id", id).ExecuteNonQuery();

    private static WebhookEndpoint? ReadEndpoint(BatchWriter w, string workspaceId, string id)
    {
        using var reader = w.Command($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE id = @id AND workspace_id = @ws")
            .Bind("@id", id).Bind("@ws", workspaceId).ExecuteReader();
        return reader.Read() ? ReadEndpoint(reader) : null;
    }

    private static DbCommand BindEndpoint(DbCommand command, WebhookEndpoint e) => command
        .Bind("@id", e.Id).Bind("@ws", e.WorkspaceId).Bind("@url", e.Url).Bind("@description", e.Description)
        .Bind("@types", JsonSerializer.Serialize(e.EventTypes, HandoffJson.Options)).Bind("@secrets", JsonSerializer.Serialize(e.Secrets, HandoffJson.Options))
        .Bind("@disabled", DbValues.Time(e.DisabledAt)).Bind("@reason", e.DisabledReason).Bind("@failing", DbValues.Time(e.FailingSince))
        .Bind("@created", DbValues.Time(e.CreatedAt)).Bind("@updated", DbValues.Time(e.UpdatedAt));

    private static WebhookEndpoint ReadEndpoint(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        Url = r.GetString(2),
        Description = DbValues.ReadString(r, 3),
        EventTypes = JsonSerializer.Deserialize<string[]>(r.GetString(4), HandoffJson.Options) ?? [],
        Secrets = JsonSerializer.Deserialize<WebhookSecretEntry[]>(r.GetString(5), HandoffJson.Options) ?? [],
        DisabledAt = DbValues.ReadTime(r, 6),
        DisabledReason = DbValues.ReadString(r, 7),
        FailingSince = DbValues.ReadTime(r, 8),
        CreatedAt = DbValues.ParseTime(r.GetString(9)),
        UpdatedAt = DbValues.ParseTime(r.GetString(10)),
    };

    // --- integrations ------------------------------------------------------------------------

    /// <inheritdoc />
    public async Task<string?> GetIntegrationAsync(string workspaceId, string kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(kind);
        var rows = await QueryAsync("SELECT config FROM integrations WHERE workspace_id = @ws AND kind = @kind", static r => r.GetString(0), cancellationToken,
            ("@ws", workspaceId), ("@kind", kind)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task<string?> SetIntegrationAsync(
        string workspaceId, string kind, string? config, string summary, Actor actor, bool replace = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            if (!replace
                && w.Command("SELECT config FROM integrations WHERE workspace_id = @ws AND kind = @kind").Bind("@ws", workspaceId).Bind("@kind", kind).ExecuteScalar()
                    is string existing)
            {
                return existing;
            }

            w.Command("DELETE FROM integrations WHERE workspace_id = @ws AND kind = @kind").Bind("@ws", workspaceId).Bind("@kind", kind).ExecuteNonQuery();
            if (config is not null)
            {
                w.Command("INSERT INTO integrations (workspace_id, kind, config, updated_at) VALUES (@ws, @kind, @config, @now)")
                    .Bind("@ws", workspaceId).Bind("@kind", kind).Bind("@config", config).Bind("@now", DbValues.Time(w.Now)).ExecuteNonQuery();
            }

            w.Append(workspaceId, actor, AuditData.IntegrationChanged, kind, AuditData.Integration(kind, summary));
            return config;
        }, cancellationToken);
    }
}
