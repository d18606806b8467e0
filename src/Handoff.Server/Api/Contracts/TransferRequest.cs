namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>POST /v1/cases/{id}/transfer</c>: exactly one of <see cref="ToTeam"/> and <see cref="ToPerson"/>.</summary>
/// <param name="ToTeam">The team (of this workspace) whose queue the case goes back to, unassigned.</param>
/// <param name="ToPerson">The id of the colleague who gets the case.</param>
/// <param name="Note">Why, for the audit log (at most 1,000 characters).</param>
public sealed record TransferRequest(string? ToTeam, string? ToPerson, string? Note);
