using Handoff.Core.Cases;

namespace Handoff.Server.Dashboard.Shared;

/// <summary>
/// What the person just sent and to whom, said in words: the verdict, for an edit each change, for a choice the
/// alternative, for a reject or an answer its text; the recipient is the agent (API key) that submitted the case.
/// </summary>
internal sealed record DecisionNotice(string CaseId, string Case, string Sent, string Recipient)
{
    public static DecisionNotice For(HandoffCase decided)
    {
        ArgumentNullException.ThrowIfNull(decided);
        // An approval short of the number a two-person rule needs is not sent to the agent yet: it waits for the next.
        var partial = decided.Decision is null && decided.Approvals is { Count: > 0 };
        var d = decided.Decision ?? (partial ? decided.Approvals![^1] : throw new ArgumentException("The case has no decision.", nameof(decided)));
        var sent = d.Verdict switch
        {
            Verdict.Approve => "Approved the proposal as it was",
            Verdict.Edit => "Approved with changes: " + string.Join("; ", d.Changes.Select(c =>
                $"{c.Field} {c.From?.ToJsonString() ?? "—"} → {c.To?.ToJsonString() ?? "—"}")),
            Verdict.Choose => $"Chose alternative {d.Option + 1}" + (Label(decided, d) is { } label ? $" ({label})" : ""),
            Verdict.Reject => $"Rejected, with the reason “{d.Text}”",
            Verdict.Respond => $"Answered “{d.Text}”",
            Verdict.HandBack => $"Handed the conversation back, with the note “{d.Text}”",
            _ => Show.Name(d.Verdict),
        };
        var summary = decided.Content.Summary ?? Show.Name(decided.Content.Kind);
        return partial
            ? new DecisionNotice(
                decided.Id, summary, $"{sent} (approval {decided.Approvals!.Count} of {CaseTransitions.ApprovalsNeeded(decided)})",
                "the next approver; the agent hears once every approval is in")
            : new DecisionNotice(decided.Id, summary, sent, decided.SubmittedBy?.Name ?? "the agent");
    }

    private static string? Label(HandoffCase c, Decision d) =>
        d.Option is { } i && i >= 0 && i < c.Content.Options.Count ? c.Content.Options[i].Text ?? c.Content.Options[i].Action?.Name : null;
}
