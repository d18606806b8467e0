namespace Handoff.Server.Mcp.Contracts;

/// <summary>What a failed tool call answers: what went wrong and, for bad arguments, the problems under each argument's name.</summary>
internal sealed record ToolError(string Error, IReadOnlyDictionary<string, string[]>? Errors = null);
