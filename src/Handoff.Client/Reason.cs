namespace Handoff.Client;

/// <summary>Why the policy came to its outcome: the rule that fired (or a built-in such as <c>low-confidence</c>) and its text.</summary>
/// <param name="Rule">The rule's id.</param>
/// <param name="Text">The rule's reason, for people.</param>
public sealed record Reason(string Rule, string Text);
