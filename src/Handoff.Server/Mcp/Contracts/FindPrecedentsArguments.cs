namespace Handoff.Server.Mcp.Contracts;

/// <summary>The arguments of <c>find_precedents</c>.</summary>
internal sealed record FindPrecedentsArguments(string? Text, string? Action, int? Count);
