namespace Handoff.Server.Api.Contracts;

/// <summary>A page of cases; pass <see cref="NextCursor"/> as <c>cursor</c> for the next page (null on the last).</summary>
public sealed record CaseListView(IReadOnlyList<CaseView> Items, string? NextCursor);
