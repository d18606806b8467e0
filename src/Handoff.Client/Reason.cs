namespace Handoff.Client;

/// <summary>Why the policy came to its outcome: the rule that fired (or a built-in such as <c>low-confidence</c>) and its text.</summary>
/// <param name="Rule">The rule's id.</param>
/// <param name="Text">The rule's reason, for people.</param>
/// <param name="Outcome">
/// What this rule asked for on its own: <see cref="PolicyOutcome.Auto"/> for a rule that only adjusts the confidence
/// floor, team or priority. Null from servers (or cases) older than this field.
/// </param>
public sealed record Reason(string Rule, string Text, PolicyOutcome? Outcome = null);
