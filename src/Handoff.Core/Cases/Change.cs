using System.Text.Json.Nodes;

namespace Handoff.Core.Cases;

/// <summary>One field a person changed against the proposal: <c>text</c>, <c>arguments.amount</c>, …</summary>
public sealed record Change(string Field, JsonNode? From, JsonNode? To);
