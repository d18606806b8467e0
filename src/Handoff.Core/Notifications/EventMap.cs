using System.Text.Json;

namespace Handoff.Core.Notifications;

/// <summary>
/// Which events an audit entry stands for. Every change Handoff makes is one entry, written in the same transaction
/// as the change, so reading the log in order is reading every event, none lost and none made up.
/// </summary>
public static class EventMap
{
    /// <summary>
    /// The event types of the entry with <paramref name="action"/> and <paramref name="data"/> (its JSON object), in
    /// the order they are sent; empty for entries nobody outside hears about (keys, users, presence…).
    /// </summary>
    public static IReadOnlyList<string> Of(string action, JsonElement data)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action switch
        {
            // Submitted: a person must look unless the policy decided (approved, blocked) on its own.
            "case.created" => Text(data, "status") is "pending" or "escalated" ? [EventTypes.CaseCreated, EventTypes.CaseEscalated] : [EventTypes.CaseCreated],
            "case.claimed" or "case.accepted" or "case.reassigned" => [EventTypes.CaseAssigned],
            "case.transferred" => Has(data, "to") ? [EventTypes.CaseTransferred, EventTypes.CaseAssigned] : [EventTypes.CaseTransferred],
            "case.offered" => [EventTypes.CaseOffered],
            "case.decided" => [EventTypes.CaseDecided],
            // A timeout that approves or rejects is the case's decision too; one that escalates raises it to a person.
            "case.expired" => Text(data, "effect") == "escalate" ? [EventTypes.CaseExpired, EventTypes.CaseEscalated] : [EventTypes.CaseExpired, EventTypes.CaseDecided],
            "case.slaWarning" => [EventTypes.SlaWarning],
            "case.slaBreached" => [EventTypes.SlaBreached],
            "case.slaStep" => Text(data, "step") switch
            {
                "supervisor" => [EventTypes.CaseEscalated],
                "overflow" => [EventTypes.CaseTransferred],
                _ => [],
            },
            "case.liveFallback" => [EventTypes.LiveFallback],
            "case.takenOver" => [EventTypes.CaseTakenOver],
            "case.message" => [EventTypes.TakeoverMessage],
            // The handback closes the case with the person's note as its decision: what the agent waits for.
            "case.handedBack" => [EventTypes.CaseHandedBack, EventTypes.CaseDecided],
            "case.executed" => data.ValueKind == JsonValueKind.Object && data.TryGetProperty("mismatch", out var mismatch) && mismatch.ValueKind == JsonValueKind.True
                ? [EventTypes.CaseExecuted, EventTypes.ExecutionMismatch]
                : [EventTypes.CaseExecuted],
            "case.executionFailed" => [EventTypes.CaseExecuted],
            "autonomy.changed" => [EventTypes.AutonomyChanged],
            // The learned gate's stop switch (stopped by an admin, or by itself when QA broke its bound) is autonomy too.
            "integration.changed" when Text(data, "kind") == "learned-gate" => [EventTypes.AutonomyChanged],
            "policy.published" => [EventTypes.PolicyPublished],
            "webhook.disabled" => [EventTypes.EndpointDisabled],
            _ => [],
        };
    }

    /// <summary>Whether the event is about one case (its subject is the case's id).</summary>
    public static bool IsAboutACase(string type) =>
        type.StartsWith("case.", StringComparison.Ordinal) || type.StartsWith("sla.", StringComparison.Ordinal)
        || type is EventTypes.LiveFallback or EventTypes.TakeoverMessage or EventTypes.ExecutionMismatch;

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Has(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;
}
