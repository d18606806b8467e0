namespace Handoff.Core.Cases;

/// <summary>Why the policy came to its outcome: the rule that fired (or a built-in such as <c>low-confidence</c>) and its text.</summary>
public sealed record Reason(string Rule, string Text);
