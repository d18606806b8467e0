namespace Handoff.Storage.Learning;

/// <summary>
/// What to look for among a workspace's decided cases: any of <see cref="Terms"/> (from
/// <see cref="Core.Learning.DecisionText.Terms"/>), cases proposing the same <see cref="Action"/> first, leaving out
/// <see cref="ExcludeCaseId"/> (the case itself).
/// </summary>
public sealed record PrecedentQuery(IReadOnlyList<string> Terms, string? Action, string? ExcludeCaseId, int Limit = 50);
