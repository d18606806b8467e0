namespace Handoff.Core.Cases;

/// <summary>
/// A decision ready to store with the status it moves the case to, or the problems with the request, keyed by the
/// request field they concern.
/// </summary>
public sealed record DecisionOutcome(Decision? Decision, CaseStatus Status, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => Decision is not null;

    /// <summary>True when the request is refused for who asks, not for what it says (the API answers 403).</summary>
    public bool Forbidden { get; init; }

    internal static DecisionOutcome Invalid(string field, string message) =>
        new(null, CaseStatus.Pending, new Dictionary<string, string[]> { [field] = [message] });

    internal static DecisionOutcome Refused(string field, string message) => Invalid(field, message) with { Forbidden = true };
}
