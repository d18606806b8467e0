using System.Text.Json.Nodes;

namespace Handoff.Client;

/// <summary>One field a person changed against the proposal (an <see cref="Verdict.Edit"/>).</summary>
/// <param name="Field"><c>text</c>, or <c>arguments.</c> and the path of an argument (<c>arguments.amount</c>).</param>
/// <param name="From">The proposed value (null when the field was added).</param>
/// <param name="To">The decided value (null when the field was removed).</param>
public sealed record Change(string Field, JsonNode? From, JsonNode? To);
