namespace Handoff.Server.Api.Contracts;

/// <summary>A published policy version.</summary>
public sealed record PolicyView(int Version, string Source, DateTimeOffset PublishedAt, string PublishedBy);
