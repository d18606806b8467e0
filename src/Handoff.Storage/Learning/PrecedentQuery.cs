namespace Handoff.Storage.Learning;

/// <summary>
/// What to look for among a workspace's decided cases: the words <see cref="Terms"/> (from
/// <see cref="Core.Learning.DecisionText.Terms(string)"/>), cases proposing the same <see cref="Action"/> first, leaving out
/// <see cref="ExcludeCaseId"/> (the case itself).
/// </summary>
public sealed record PrecedentQuery(IReadOnlyList<string> Terms, string? Action, string? ExcludeCaseId, int Limit = 50)
{
    /// <summary>How many matches make a search good enough to stop narrowing it (see <c>FindPrecedentsAsync</c>).</summary>
    public const int Enough = 5;
}
