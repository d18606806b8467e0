using System.Text.Json.Nodes;

namespace Handoff.Client;

/// <summary>A tool call the agent wants to make.</summary>
/// <param name="Name">The tool's name (required, not blank).</param>
/// <param name="Arguments">The call's arguments as a JSON object, or null for none.</param>
public sealed record ToolCall(string Name, JsonObject? Arguments = null);
