namespace Handoff.Client;

/// <summary>A long-poll's answer when its wait ran out (202): where the case stands.</summary>
internal sealed record CaseStatusBody(string CaseId, CaseStatus Status, Actor? AssignedTo, DateTimeOffset? ExpiresAt);
