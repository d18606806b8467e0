using Handoff.Core.Cases;

namespace Handoff.Core.Routing;

/// <summary>A case waiting in a queue, as "next case" sees it: a snapshot the caller reads from the store.</summary>
/// <param name="CaseId">Stable id; the last tie-break, so two people asking at once are told the same order.</param>
/// <param name="Priority">Higher first.</param>
/// <param name="SlaDueAt">When its SLA falls due; null (no SLA, or never due) comes after any due time.</param>
/// <param name="CreatedAt">Older first, among cases equally urgent otherwise.</param>
/// <param name="Requirements">What the person who takes it needs.</param>
public sealed record QueuedCase(
    string CaseId,
    Priority Priority,
    DateTimeOffset? SlaDueAt,
    DateTimeOffset CreatedAt,
    CaseNeeds Requirements);
