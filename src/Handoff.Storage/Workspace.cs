namespace Handoff.Storage;

public sealed record Workspace(string Id, string Name, DateTimeOffset CreatedAt);
