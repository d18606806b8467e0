namespace Handoff.Core.Cases;

/// <summary>What the AI proposes: a draft text, a tool call, or both, and how sure it is (0..1).</summary>
public sealed record Proposal(string? Text, ToolCall? Action, double? Confidence);
