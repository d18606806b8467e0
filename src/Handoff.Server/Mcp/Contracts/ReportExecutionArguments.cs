using System.Text.Json;

namespace Handoff.Server.Mcp.Contracts;

/// <summary>The arguments of <c>report_execution</c>.</summary>
internal sealed record ReportExecutionArguments(string? CaseId, string? Outcome, JsonElement Arguments, string? Reason);
