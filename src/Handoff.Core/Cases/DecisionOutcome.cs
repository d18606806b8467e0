namespace Handoff.Core.Cases;

/// <summary>
/// A decision ready to store with the status it moves the case to, or the problems with the request, keyed by the
/// request field they concern.
/// </summary>
public sealed record DecisionOutcome(Decision? Decision, CaseStatus Status, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => Decision is not null;

    internal static DecisionOutcome Invalid(string field, string message) =>
        new(null, CaseStatus.Pending, new Dictionary<string, string[]> { [field] = [message] });
}
