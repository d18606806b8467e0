using System.Text.Json;
using System.Text.Json.Serialization;

namespace Handoff.Core.Cases;

/// <summary>A tool call the agent wants to make. <see cref="Arguments"/> is a JSON object (or undefined when absent).</summary>
public sealed record ToolCall(string Name, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] JsonElement Arguments);
