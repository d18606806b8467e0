namespace Handoff.Storage;

/// <summary>A stored API key: never the secret, only its SHA-256 hash (hex).</summary>
public sealed record ApiKey(string Id, string WorkspaceId, string Name, ApiKeyRole Role, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
