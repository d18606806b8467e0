namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>POST /v1/cases/{id}/handback</c>.</summary>
/// <param name="Note">What the agent should know to resume (required, up to 8,000 characters).</param>
public sealed record HandBackRequest(string? Note);
