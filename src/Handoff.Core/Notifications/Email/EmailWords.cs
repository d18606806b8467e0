using System.Globalization;
using Handoff.Core.Cases;

namespace Handoff.Core.Notifications.Email;

/// <summary>The words both parts of a mail use for a notice's values, so the text and the HTML never disagree.</summary>
internal static class EmailWords
{
    /// <summary>The longest subject kept; the whole title is in the body.</summary>
    public const int MaxSubjectLength = 120;

    public static string Priority(Priority priority) => priority switch
    {
        Cases.Priority.Urgent => "Urgent",
        Cases.Priority.High => "High",
        Cases.Priority.Low => "Low",
        _ => "Normal",
    };

    public static string Status(CaseStatus status) => status switch
    {
        CaseStatus.Pending => "waiting for a person",
        CaseStatus.Assigned => "being worked on",
        CaseStatus.Escalated => "escalated, waiting for a person",
        CaseStatus.Approved => "approved",
        CaseStatus.Rejected => "rejected",
        CaseStatus.Responded => "answered by a person",
        CaseStatus.Blocked => "blocked by the policy",
        CaseStatus.TakenOver => "taken over by a person",
        CaseStatus.HandedBack => "handed back to the agent",
        _ => status.ToString(),
    };

    /// <summary>"62 % confident".</summary>
    public static string Confidence(double confidence) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Round(Math.Clamp(confidence, 0, 1) * 100)} % confident");

    /// <summary>"High priority · team billing", or just the priority when the case has no team.</summary>
    public static string PriorityAndTeam(CaseNotice notice) =>
        notice.Team.Length == 0 ? $"{Priority(notice.Priority)} priority" : $"{Priority(notice.Priority)} priority · team {notice.Team}";

    /// <summary>"Rejected by Riley Reviewer"-style decision line, or null for an undecided case.</summary>
    public static string? Decision(CaseNotice notice)
    {
        if (notice.Verdict is not { } verdict)
        {
            return null;
        }

        var how = verdict switch
        {
            Verdict.Approve => "Approved",
            Verdict.Edit => "Approved with changes",
            Verdict.Choose => "An alternative was chosen",
            Verdict.Reject => "Rejected",
            Verdict.Respond => "Answered by a person",
            Verdict.HandBack => "Handed back",
            _ => verdict.ToString(),
        };
        return notice.DecidedBy is { } by ? $"{how} by {by}" : how;
    }

    /// <summary>One line of at most <see cref="MaxSubjectLength"/> characters: a subject never breaks or runs on.</summary>
    public static string OneLine(string text, int max = MaxSubjectLength)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= max ? line : string.Concat(line.AsSpan(0, max - 1), "…");
    }
}
