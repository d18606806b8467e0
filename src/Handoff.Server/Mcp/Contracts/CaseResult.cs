using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Server.Mcp.Contracts;

/// <summary>
/// What every tool answers about a case: where it stands, the decision once there is one, and in
/// <see cref="Message"/> what the agent should do next, in words a model follows. <see cref="Answer"/> is the
/// person's answer to a question (<c>ask_human</c>). <see cref="Messages"/> are the transcript's messages (all of them,
/// or for <c>relay_message</c> those after its <c>after</c>), <see cref="LastMessage"/> the number of the last one.
/// </summary>
internal sealed record CaseResult(
    string CaseId,
    CaseStatus Status,
    string Message,
    string? Answer,
    DecisionResult? Decision,
    Outcome Outcome,
    IReadOnlyList<Reason> Reasons,
    string Team,
    Actor? AssignedTo,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<CaseMessage>? Messages = null,
    int? LastMessage = null)
{
    /// <summary>
    /// While the case waits for a person: <c>live</c> (it rings for an available person now, the customer waiting on
    /// the line) or <c>queue</c> (a person follows up). Null once decided.
    /// </summary>
    public string? Mode { get; init; }

    /// <summary>Until when a live case rings before it falls back to the queue.</summary>
    public DateTimeOffset? LiveUntil { get; init; }

    /// <summary>The case with the transcript's messages numbered above <paramref name="after"/> (all by default).</summary>
    public static CaseResult From(HandoffCase c, int after) =>
        From(c) with { Messages = c.Transcript is { } t ? [.. t.Where(m => m.Number > after)] : null };

    public static CaseResult From(HandoffCase c)
    {
        var question = c.Content.Kind == CaseKind.Question;
        var answer = question && c.Decision is { } d && c.Status is CaseStatus.Approved or CaseStatus.Responded
            ? d.Text ?? d.Result?.Text
            : null;
        var waiting = c.Status is CaseStatus.Pending or CaseStatus.Escalated && c.AssignedTo is null;
        return new CaseResult(
            c.Id, c.Status, Next(c, question), answer, c.Decision is null ? null : DecisionResult.From(c.Decision),
            c.Evaluation.Outcome, c.Evaluation.Reasons, c.Evaluation.Team, c.AssignedTo, c.ExpiresAt, c.Transcript, c.Transcript?.Count)
        {
            Mode = waiting ? c.IsLive() && c.LiveUntil is not null ? "live" : "queue" : null,
            LiveUntil = waiting && c.IsLive() ? c.LiveUntil : null,
        };
    }

    private static string Next(HandoffCase c, bool question) => c.Status switch
    {
        CaseStatus.Pending when c.IsLive() && c.AssignedTo is null =>
            $"A person is being rung to join now (mode live); tell the customer someone will be with them shortly. Do not go ahead; call check_case with caseId {c.Id} (waitSeconds up to {ToolArguments.MaxWaitSeconds}).",
        CaseStatus.Pending or CaseStatus.Assigned =>
            $"A person has not decided yet. Do not go ahead; call check_case with caseId {c.Id} (waitSeconds up to {ToolArguments.MaxWaitSeconds}) to get the decision.",
        CaseStatus.Escalated =>
            $"Nobody decided in time, so the case went to a person as urgent. Do not go ahead; call check_case with caseId {c.Id} later.",
        CaseStatus.Approved when question => "Answered: use the answer given here.",
        CaseStatus.Approved when c.Receipt is { } receipt => $"Approved, and reported as {(receipt.Outcome == ExecutionOutcome.Executed ? "executed" : "failed")}.",
        CaseStatus.Approved when c.Decision?.DecidedBy?.Kind == "policy" =>
            $"Approved by the policy: go ahead as proposed, then call report_execution with caseId {c.Id} (executed, or failed with the reason).",
        CaseStatus.Approved =>
            $"Approved: go ahead with decision.action and decision.arguments as given here (a person may have changed them), then call report_execution with caseId {c.Id} (executed, or failed with the reason).",
        CaseStatus.Responded when question => "A person answered: use the answer given here.",
        CaseStatus.Responded => "A person answered instead of approving: do not run the action; decision.text is their answer.",
        CaseStatus.Rejected => "Rejected: do not go ahead. The reason is in decision.text.",
        CaseStatus.Blocked => "Blocked by the policy: do not go ahead.",
        CaseStatus.TakenOver =>
            $"{c.AssignedTo?.Name ?? "A person"} has taken the conversation over. Do not answer the customer yourself: pass each message the customer " +
            $"writes to relay_message (caseId {c.Id}), and send the customer the person's replies (role 'person' in messages) word for word. " +
            "Call relay_message again, with after set to lastMessage, until the status is no longer takenOver.",
        CaseStatus.HandedBack =>
            "The person handed the conversation back to you: decision.text is their note, and messages is what was said meanwhile. " +
            "Resume the conversation from there, as the note says.",
        _ => $"The case is {c.Status}.",
    };
}
