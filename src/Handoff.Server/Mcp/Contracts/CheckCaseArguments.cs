namespace Handoff.Server.Mcp.Contracts;

/// <summary>The arguments of <c>check_case</c>.</summary>
internal sealed record CheckCaseArguments(string? CaseId, int? WaitSeconds);
