using System.Text.Json;

namespace Handoff.Core.Cases;

/// <summary>A tool call the agent wants to make. <see cref="Arguments"/> is a JSON object (or undefined when absent).</summary>
public sealed record ToolCall(string Name, JsonElement Arguments);
