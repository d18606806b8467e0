using Handoff.Core.Cases;
using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Sqlite;

public sealed partial class SqliteHandoffStore
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
            using (var reader = w.Command("SELECT id, name, created_at FROM workspaces WHERE name = $name").Bind("$name", name).ExecuteReader())
            {
                if (reader.Read())
                {
                    return ReadWorkspace(reader);
                }
            }

            var workspace = new Workspace(NewId("ws"), name, w.Now);
            w.Command("INSERT INTO workspaces (id, name, created_at) VALUES ($id, $name, $at)")
                .Bind("$id", workspace.Id).Bind("$name", name).Bind("$at", SqliteValues.Time(workspace.CreatedAt))
                .ExecuteNonQuery();
            w.Append(workspace.Id, actor, AuditData.WorkspaceCreated, workspace.Id, AuditData.Workspace(name));
            return workspace;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<Workspace?> FindWorkspaceAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, created_at FROM workspaces WHERE name = $name";
        using var reader = command.Bind("$name", name).ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadWorkspace(reader) : null);
    }

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
                VALUES ($id, $ws, $name, $role, $hash, $at)
                """)
                .Bind("$id", apiKey.Id).Bind("$ws", apiKey.WorkspaceId).Bind("$name", apiKey.Name)
                .Bind("$role", SqliteValues.Role(apiKey.Role)).Bind("$hash", apiKey.Hash).Bind("$at", SqliteValues.Time(apiKey.CreatedAt))
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
            var changed = w.Command("UPDATE api_keys SET revoked_at = $at WHERE id = $id AND workspace_id = $ws AND revoked_at IS NULL")
                .Bind("$at", SqliteValues.Time(w.Now)).Bind("$id", keyId).Bind("$ws", workspaceId)
                .ExecuteNonQuery();
            if (changed == 0)
            {
                return false;
            }

            w.Append(workspaceId, actor, AuditData.KeyRevoked, keyId, AuditData.Empty());
            return true;
        }, cancellationToken);
    }

    public Task<ApiKey?> FindApiKeyByHashAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ApiKeyColumns} FROM api_keys WHERE hash = $hash AND revoked_at IS NULL";
        using var reader = command.Bind("$hash", hash).ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadApiKey(reader) : null);
    }

    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        // rowid breaks ties between keys created in the same tick in the order they were added.
        return Task.FromResult<IReadOnlyList<ApiKey>>(Query(
            $"SELECT {ApiKeyColumns} FROM api_keys WHERE workspace_id = $ws ORDER BY created_at DESC, rowid DESC", ReadApiKey, ("$ws", workspaceId)));
    }

    public Task<StoredPolicy?> GetPolicyAsync(string workspaceId, int? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = version is null
            ? $"SELECT {PolicyColumns} FROM policies WHERE workspace_id = $ws ORDER BY version DESC LIMIT 1"
            : $"SELECT {PolicyColumns} FROM policies WHERE workspace_id = $ws AND version = $version";
        command.Bind("$ws", workspaceId).Bind("$version", version);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadPolicy(reader) : null);
    }

    public Task<IReadOnlyList<StoredPolicy>> ListPoliciesAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        return Task.FromResult<IReadOnlyList<StoredPolicy>>(Query(
            $"SELECT {PolicyColumns} FROM policies WHERE workspace_id = $ws ORDER BY version DESC", ReadPolicy, ("$ws", workspaceId)));
    }

    public Task<StoredPolicy> PublishPolicyAsync(string workspaceId, string source, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            var version = checked((int)(long)w.Command("SELECT coalesce(max(version), 0) + 1 FROM policies WHERE workspace_id = $ws")
                .Bind("$ws", workspaceId).ExecuteScalar()!);
            var policy = new StoredPolicy(workspaceId, version, source, w.Now, actor.Name);
            w.Command("""
                INSERT INTO policies (workspace_id, version, source, published_at, published_by)
                VALUES ($ws, $version, $source, $at, $by)
                """)
                .Bind("$ws", workspaceId).Bind("$version", version).Bind("$source", source)
                .Bind("$at", SqliteValues.Time(policy.PublishedAt)).Bind("$by", policy.PublishedBy)
                .ExecuteNonQuery();
            w.Append(workspaceId, actor, AuditData.PolicyPublished, version.ToString(System.Globalization.CultureInfo.InvariantCulture), AuditData.Policy(version));
            return policy;
        }, cancellationToken);
    }

    public Task<AutonomyState> GetAutonomyAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT enabled, reason, changed_by, changed_at FROM autonomy WHERE workspace_id = $ws";
        using var reader = command.Bind("$ws", workspaceId).ExecuteReader();
        return Task.FromResult(reader.Read()
            ? new AutonomyState(reader.GetBoolean(0), SqliteValues.ReadString(reader, 1), SqliteValues.ReadString(reader, 2), SqliteValues.ReadTime(reader, 3))
            : new AutonomyState(true, null, null, null));
    }

    public Task<AutonomyState> SetAutonomyAsync(string workspaceId, bool enabled, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            var state = new AutonomyState(enabled, reason, actor.Name, w.Now);
            w.Command("""
                INSERT INTO autonomy (workspace_id, enabled, reason, changed_by, changed_at) VALUES ($ws, $enabled, $reason, $by, $at)
                ON CONFLICT (workspace_id) DO UPDATE SET
                    enabled = excluded.enabled, reason = excluded.reason, changed_by = excluded.changed_by, changed_at = excluded.changed_at
                """)
                .Bind("$ws", workspaceId).Bind("$enabled", enabled).Bind("$reason", reason)
                .Bind("$by", state.ChangedBy).Bind("$at", SqliteValues.Time(state.ChangedAt))
                .ExecuteNonQuery();
            w.Append(workspaceId, actor, AuditData.AutonomyChanged, workspaceId, AuditData.Autonomy(enabled, reason));
            return state;
        }, cancellationToken);
    }

    private static ApiKey ReadApiKey(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqliteValues.ParseRole(reader.GetString(3)),
            reader.GetString(4), SqliteValues.ParseTime(reader.GetString(5)), SqliteValues.ReadTime(reader, 6));

    private static Workspace ReadWorkspace(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), SqliteValues.ParseTime(reader.GetString(2)));

    private static StoredPolicy ReadPolicy(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), SqliteValues.ParseTime(reader.GetString(3)), reader.GetString(4));
}
