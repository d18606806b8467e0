namespace Handoff.Core.Notifications;

/// <summary>
/// The events Handoff tells others about (webhooks, Slack, Teams, e-mail), each derived from an audit action: the
/// audit entry is written in the same transaction as the change, so it is the outbox record the event comes from.
/// </summary>
public static class EventTypes
{
    public const string CaseCreated = "case.created";
    /// <summary>A person must look: submitted for review or escalation, escalated by expiry or by an SLA rung.</summary>
    public const string CaseEscalated = "case.escalated";
    public const string CaseOffered = "case.offered";
    /// <summary>A person holds the case: claimed, accepted, "next case", reassigned or transferred to them.</summary>
    public const string CaseAssigned = "case.assigned";
    public const string CaseTransferred = "case.transferred";
    public const string CaseDecided = "case.decided";
    public const string CaseExpired = "case.expired";
    public const string CaseTakenOver = "case.takenOver";
    public const string CaseHandedBack = "case.handedBack";
    /// <summary>The agent's receipt for an approved case: it ran the result, or could not (data: outcome, reason).</summary>
    public const string CaseExecuted = "case.executed";
    /// <summary>What the agent says it ran is not what was approved (its digest differs); admins are told.</summary>
    public const string ExecutionMismatch = "execution.mismatch";
    public const string SlaWarning = "sla.warning";
    public const string SlaBreached = "sla.breached";
    public const string LiveFallback = "live.fallback";
    public const string TakeoverMessage = "takeover.message";
    public const string AutonomyChanged = "autonomy.changed";
    public const string PolicyPublished = "policy.published";
    /// <summary>Handoff disabled a webhook endpoint (410 Gone, or failing for days); admins are told.</summary>
    public const string EndpointDisabled = "endpoint.disabled";

    /// <summary>Every type an endpoint may subscribe to, in the order the docs list them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        CaseCreated, CaseEscalated, CaseOffered, CaseAssigned, CaseTransferred, CaseDecided, CaseExpired, CaseTakenOver,
        CaseHandedBack, CaseExecuted, ExecutionMismatch, SlaWarning, SlaBreached, LiveFallback, TakeoverMessage, AutonomyChanged, PolicyPublished, EndpointDisabled,
    ];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
