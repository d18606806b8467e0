namespace Handoff.Server.Api.Contracts;

/// <summary>One conversation turn: role (customer, agent, …) and text.</summary>
public sealed record MessageBody(string? Role, string? Text, DateTimeOffset? At);
