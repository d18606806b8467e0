using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Handoff.Server.Api.Contracts;

/// <summary>A tool call: its name and a JSON object of arguments.</summary>
public sealed record ToolCallBody([property: Required] string? Name, JsonElement Arguments);
