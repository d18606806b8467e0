using Handoff.Core.Cases;

namespace Handoff.Storage;

/// <summary>One page of cases; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record CasePage(IReadOnlyList<HandoffCase> Items, string? NextCursor);
