namespace Handoff.Storage;

public sealed record NewApiKey(string WorkspaceId, string Name, ApiKeyRole Role, string Hash, DateTimeOffset CreatedAt);
