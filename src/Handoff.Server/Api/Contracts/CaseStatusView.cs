using Handoff.Core.Cases;

namespace Handoff.Server.Api.Contracts;

/// <summary>The answer of a long-poll that ran out before a decision: where the case stands.</summary>
public sealed record CaseStatusView(string CaseId, CaseStatus Status, Actor? AssignedTo, DateTimeOffset? ExpiresAt);
