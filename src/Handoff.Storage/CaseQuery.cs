using Handoff.Core.Cases;

namespace Handoff.Storage;

/// <summary>
/// Filters for listing cases. <see cref="Cursor"/> is opaque: the <see cref="CasePage.NextCursor"/> of the page before.
/// <see cref="AwaitingExecution"/> keeps only approved cases whose agent has not sent its receipt yet.
/// </summary>
public sealed record CaseQuery(CaseStatus? Status = null, string? Team = null, int Limit = 50, string? Cursor = null, bool AwaitingExecution = false);
