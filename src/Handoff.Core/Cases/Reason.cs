using System.Text.Json.Serialization;
using Handoff.Core.Policy;

namespace Handoff.Core.Cases;

/// <summary>Why the policy came to its outcome: the rule that fired (or a built-in such as <c>low-confidence</c>) and its text.</summary>
/// <param name="Rule">The rule's id, or <c>low-confidence</c> / <c>autonomy-stopped</c>.</param>
/// <param name="Text">The rule's reason, for people.</param>
/// <param name="Outcome">
/// What this rule asked for on its own: <see cref="Policy.Outcome.Auto"/> for a rule that only adjusts the confidence
/// floor, team or priority (it fired, but did not send the case to a person). Null on cases evaluated before reasons
/// carried it.
/// </param>
public sealed record Reason(string Rule, string Text, Outcome? Outcome = null)
{
    /// <summary>
    /// Whether this reason is one the case came to a person for: every reason but a rule that asked for no more than
    /// <see cref="Policy.Outcome.Auto"/>. A reason without an outcome (an older case) counts, since it may have.
    /// </summary>
    [JsonIgnore]
    public bool AskedForAPerson => Outcome is not Policy.Outcome.Auto;
}
