using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Core.Notifications;

/// <summary>Builds the <see cref="CaseNotice"/> every channel renders, from the case as it stood at the event.</summary>
public static class CaseNotices
{
    /// <summary>Longest proposal or option line kept; the rest is on the case's page.</summary>
    public const int MaxLineLength = 300;

    /// <param name="eventType">One of <see cref="EventTypes"/>.</param>
    /// <param name="c">The case right after the event.</param>
    /// <param name="caseLink">The dashboard's page for the case, e.g. <c>https://handoff.example.com/cases/cs_1</c>.</param>
    /// <param name="at">When the event happened.</param>
    public static CaseNotice From(string eventType, HandoffCase c, string caseLink, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(caseLink);
        var decision = c.Decision;
        return new CaseNotice
        {
            EventType = eventType,
            WorkspaceId = c.WorkspaceId,
            CaseId = c.Id,
            Headline = Headline(eventType, c),
            Title = string.IsNullOrWhiteSpace(c.Content.Summary) ? KindName(c.Content.Kind) : c.Content.Summary.Trim(),
            Reasons = [.. c.Evaluation.Reasons.Where(static r => r.AskedForAPerson).Select(static r => string.IsNullOrWhiteSpace(r.Text) ? r.Rule : r.Text)],
            Customer = Customer(c.Content.Subject),
            Proposal = c.Content.Proposal is { } p ? Line(p) : null,
            ProposedTool = c.Content.Proposal?.Action?.Name,
            Confidence = c.Content.Proposal?.Confidence,
            Options = [.. c.Content.Options.Select(Line).OfType<string>()],
            Priority = c.Evaluation.Priority,
            Team = c.Evaluation.Team,
            Status = c.Status,
            DueAt = c.Sla?.DueAt ?? c.ExpiresAt,
            AssignedTo = c.AssignedTo?.Name,
            DecidedBy = decision?.DecidedBy?.Name,
            Verdict = decision?.Verdict,
            Note = decision?.Note,
            Link = caseLink,
            At = at,
        };
    }

    private static string Headline(string eventType, HandoffCase c) => eventType switch
    {
        EventTypes.CaseEscalated => c.Evaluation.Priority == Priority.Urgent ? "Urgent: needs a person" : "Needs a person",
        EventTypes.CaseOffered => c.Offer is { } offer ? $"Offered to {offer.To.Name}" : "Offered",
        EventTypes.CaseAssigned => c.AssignedTo is { } holder ? $"Taken by {holder.Name}" : "Taken",
        EventTypes.CaseTransferred => c.AssignedTo is { } to ? $"Transferred to {to.Name}" : $"Transferred to team {c.Evaluation.Team}",
        EventTypes.CaseDecided => c.Decision switch
        {
            { TimedOut: true } d => $"Timed out: {VerdictName(d.Verdict)}",
            { DecidedBy: { } by } d => $"{Capitalised(Past(d.Verdict))} by {by.Name}",
            { } d => Capitalised(Past(d.Verdict)),
            null => "Decided",
        },
        EventTypes.CaseExpired => "Nobody decided in time",
        EventTypes.CaseTakenOver => c.AssignedTo is { } owner ? $"{owner.Name} took the conversation over" : "Taken over",
        EventTypes.CaseHandedBack => "Handed back to the agent",
        EventTypes.CaseExecuted => c.Receipt is { Outcome: ExecutionOutcome.Failed } ? "The agent could not carry it out" : "Carried out by the agent",
        EventTypes.ExecutionMismatch => "The agent ran something other than what was approved",
        EventTypes.SlaWarning => "SLA at risk",
        EventTypes.SlaBreached => "SLA breached",
        EventTypes.LiveFallback => "Nobody picked up live: queued for follow-up",
        EventTypes.TakeoverMessage => "New message from the customer",
        EventTypes.CaseCreated => "New case",
        _ => eventType,
    };

    private static string KindName(CaseKind kind) => kind switch
    {
        CaseKind.Reply => "A reply to check",
        CaseKind.Action => "An action to approve",
        CaseKind.Question => "A question for a person",
        _ => "A conversation for a person",
    };

    private static string VerdictName(Verdict verdict) => JsonNamingPolicy.CamelCase.ConvertName(verdict.ToString());

    private static string Past(Verdict verdict) => verdict switch
    {
        Cases.Verdict.Approve => "approved",
        Cases.Verdict.Edit => "approved with changes",
        Cases.Verdict.Choose => "approved an alternative",
        Cases.Verdict.Reject => "rejected",
        Cases.Verdict.Respond => "answered",
        _ => VerdictName(verdict),
    };

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    // The subject is the agent's own object: the first of the usual names for who the customer is.
    private static string? Customer(JsonElement subject)
    {
        if (subject.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["name", "customerName", "email", "customer", "customerId", "id", "user", "userId"])
        {
            if (subject.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                var text = value.ToString().Trim();
                if (text.Length > 0)
                {
                    return Truncated(text);
                }
            }
        }

        return null;
    }

    private static string? Line(Proposal p)
    {
        if (p.Action is { } action)
        {
            var args = action.Arguments.ValueKind == JsonValueKind.Object ? action.Arguments.GetRawText() : "";
            return Truncated($"{action.Name}({args})");
        }

        return string.IsNullOrWhiteSpace(p.Text) ? null : Truncated(p.Text.Trim().ReplaceLineEndings(" "));
    }

    private static string Truncated(string text) => text.Length <= MaxLineLength ? text : string.Concat(text.AsSpan(0, MaxLineLength - 1), "…");
}
