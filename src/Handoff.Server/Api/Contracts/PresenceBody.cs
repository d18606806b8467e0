namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>PUT /v1/people/{id}/presence</c>.</summary>
/// <param name="Presence">online | away | offline.</param>
public sealed record PresenceBody(string? Presence);
