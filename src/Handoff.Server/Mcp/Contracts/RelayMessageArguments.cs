namespace Handoff.Server.Mcp.Contracts;

/// <summary>The arguments of <c>relay_message</c>.</summary>
internal sealed record RelayMessageArguments(string? CaseId, string? Text, int? After, int? WaitSeconds);
