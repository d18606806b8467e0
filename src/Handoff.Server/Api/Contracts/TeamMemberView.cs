namespace Handoff.Server.Api.Contracts;

/// <summary>A member of a team; <c>GET /v1/people/{id}</c> has the rest of them.</summary>
public sealed record TeamMemberView(string Id, string Name);
