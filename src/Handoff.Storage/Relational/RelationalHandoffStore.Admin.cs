using Handoff.Core.Cases;
using System.Data.Common;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    private const string PolicyColumns = "workspace_id, version, source, published_at, published_by";

    private const string ApiKeyColumns = "id, workspace_id, name, role, hash, created_at, revoked_at";

    public async Task<Workspace> EnsureWorkspaceAsync(string name, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(actor);
        if (await FindWorkspaceAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        return await _writer.RunAsync(w =>
        {
            // Checked again under the write lock: someone may have created it since the read above.
            using (var reader = w.Command("SELECT id, name, created_at FROM workspaces WHERE name = @name").Bind("@name", name).ExecuteReader())
            {
                if (reader.Read())
                {
                    return ReadWorkspace(reader);
                }
            }

            var workspace = new Workspace(NewId("ws"), name, w.Now);
            w.Command("INSERT INTO workspaces (id, name, created_at) VALUES (@id, @name, @at)")
                .Bind("@id", workspace.Id).Bind("@name", name).Bind("@at", DbValues.Time(workspace.CreatedAt))
                .ExecuteNonQuery();
            w.Append(workspace.Id, actor, AuditData.WorkspaceCreated, workspace.Id, AuditData.Workspace(name));
            return workspace;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Workspace?> FindWorkspaceAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return (await QueryAsync("SELECT id, name, created_at FROM workspaces WHERE name = @name", ReadWorkspace, cancellationToken, ("@name", name))
            .ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Workspace>> ListWorkspacesAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync("SELECT id, name, created_at FROM workspaces ORDER BY name", ReadWorkspace, cancellationToken).ConfigureAwait(false);

    public Task<ApiKey> AddApiKeyAsync(NewApiKey key, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(key.Hash, nameof(key));
        var apiKey = new ApiKey(NewId("key"), key.WorkspaceId, key.Name, key.Role, key.Hash, key.CreatedAt, null);
        return _writer.RunAsync(w =>
        {
            w.Command("""
                INSERT INTO api_keys (id, workspace_id, name, role, hash, created_at)
                VALUES (@id, @ws, @name, @role, @hash, @at)
                """)
                .Bind("@id", apiKey.Id).Bind("@ws", apiKey.WorkspaceId).Bind("@name", apiKey.Name)
                .Bind("@role", DbValues.Role(apiKey.Role)).Bind("@hash", apiKey.Hash).Bind("@at", DbValues.Time(apiKey.CreatedAt))
                .ExecuteNonQuery();
            w.Append(apiKey.WorkspaceId, actor, AuditData.KeyCreated, apiKey.Id, AuditData.Key(apiKey.Name, apiKey.Role));
            return apiKey;
        }, cancellationToken);
    }

    public Task<bool> RevokeApiKeyAsync(string workspaceId, string keyId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            var changed = w.Command("UPDATE api_keys SET revoked_at = @at WHERE id = @id AND workspace_id = @ws AND revoked_at IS NULL")
                .Bind("@at", DbValues.Time(w.Now)).Bind("@id", keyId).Bind("@ws", workspaceId)
                .ExecuteNonQuery();
            if (changed == 0)
            {
                return false;
            }

            w.Append(workspaceId, actor, AuditData.KeyRevoked, keyId, AuditData.Empty());
            return true;
        }, cancellationToken);
    }

    public async Task<ApiKey?> FindApiKeyByHashAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return (await QueryAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE hash = @hash AND revoked_at IS NULL", ReadApiKey, cancellationToken, ("@hash", hash))
            .ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        // Insertion order breaks ties between keys created in the same tick.
        return await QueryAsync(
            $"SELECT {ApiKeyColumns} FROM api_keys WHERE workspace_id = @ws ORDER BY created_at DESC, {ApiKeyInsertionOrder} DESC", ReadApiKey, cancellationToken, ("@ws", workspaceId))
            .ConfigureAwait(false);
    }

    public async Task<StoredPolicy?> GetPolicyAsync(string workspaceId, int? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        var policies = version is null
            ? await QueryAsync($"SELECT {PolicyColumns} FROM policies WHERE workspace_id = @ws ORDER BY version DESC LIMIT 1", ReadPolicy, cancellationToken, ("@ws", workspaceId)).ConfigureAwait(false)
            : await QueryAsync($"SELECT {PolicyColumns} FROM policies WHERE workspace_id = @ws AND version = @version", ReadPolicy, cancellationToken, ("@ws", workspaceId), ("@version", version)).ConfigureAwait(false);
        return policies.SingleOrDefault();
    }

    public async Task<IReadOnlyList<StoredPolicy>> ListPoliciesAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        return await QueryAsync(
            $"SELECT {PolicyColumns} FROM policies WHERE workspace_id = @ws ORDER BY version DESC", ReadPolicy, cancellationToken, ("@ws", workspaceId)).ConfigureAwait(false);
    }

    public Task<StoredPolicy> PublishPolicyAsync(string workspaceId, string source, Actor actor, CancellationToken cancellationToken = default, bool onlyIfChanged = false)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            if (onlyIfChanged)
            {
                using var reader = w.Command($"SELECT {PolicyColumns} FROM policies WHERE workspace_id = @ws ORDER BY version DESC LIMIT 1")
                    .Bind("@ws", workspaceId).ExecuteReader();
                if (reader.Read() && ReadPolicy(reader) is { } newest && newest.Source == source)
                {
                    return newest;
                }
            }

            var version = Convert.ToInt32(w.Command("SELECT coalesce(max(version), 0) + 1 FROM policies WHERE workspace_id = @ws")
                .Bind("@ws", workspaceId).ExecuteScalar()!, System.Globalization.CultureInfo.InvariantCulture);
            var policy = new StoredPolicy(workspaceId, version, source, w.Now, actor.Name);
            w.Command("""
                INSERT INTO policies (workspace_id, version, source, published_at, published_by)
                VALUES (@ws, @version, @source, @at, @by)
                """)
                .Bind("@ws", workspaceId).Bind("@version", version).Bind("@source", source)
                .Bind("@at", DbValues.Time(policy.PublishedAt)).Bind("@by", policy.PublishedBy)
                .ExecuteNonQuery();
            w.Append(workspaceId, actor, AuditData.PolicyPublished, version.ToString(System.Globalization.CultureInfo.InvariantCulture), AuditData.Policy(version));
            return policy;
        }, cancellationToken);
    }

    public async Task<AutonomyState> GetAutonomyAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        var states = await QueryAsync(
            "SELECT enabled, reason, changed_by, changed_at FROM autonomy WHERE workspace_id = @ws",
            static reader => new AutonomyState(reader.GetBoolean(0), DbValues.ReadString(reader, 1), DbValues.ReadString(reader, 2), DbValues.ReadTime(reader, 3)),
            cancellationToken,
            ("@ws", workspaceId)).ConfigureAwait(false);
        return states.SingleOrDefault() ?? new AutonomyState(true, null, null, null);
    }

    public Task<AutonomyState> SetAutonomyAsync(string workspaceId, bool enabled, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            var state = new AutonomyState(enabled, reason, actor.Name, w.Now);
            w.Command("""
                INSERT INTO autonomy (workspace_id, enabled, reason, changed_by, changed_at) VALUES (@ws, @enabled, @reason, @by, @at)
                ON CONFLICT (workspace_id) DO UPDATE SET
                    enabled = excluded.enabled, reason = excluded.reason, changed_by = excluded.changed_by, changed_at = excluded.changed_at
                """)
                .Bind("@ws", workspaceId).Bind("@enabled", enabled).Bind("@reason", reason)
                .Bind("@by", state.ChangedBy).Bind("@at", DbValues.Time(state.ChangedAt))
                .ExecuteNonQuery();
            w.Append(workspaceId, actor, AuditData.AutonomyChanged, workspaceId, AuditData.Autonomy(enabled, reason));
            return state;
        }, cancellationToken);
    }

    private static ApiKey ReadApiKey(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), DbValues.ParseRole(reader.GetString(3)),
            reader.GetString(4), DbValues.ParseTime(reader.GetString(5)), DbValues.ReadTime(reader, 6));

    private static Workspace ReadWorkspace(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), DbValues.ParseTime(reader.GetString(2)));

    private static StoredPolicy ReadPolicy(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), DbValues.ParseTime(reader.GetString(3)), reader.GetString(4));
}
