namespace Handoff.Storage;

public sealed record StoredPolicy(string WorkspaceId, int Version, string Source, DateTimeOffset PublishedAt, string PublishedBy);
