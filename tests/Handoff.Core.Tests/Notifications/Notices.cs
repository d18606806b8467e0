using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Notifications;

/// <summary>Cases and notices the channel renderers' tests share.</summary>
internal static class Notices
{
    public static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly Actor Riley = new(Actor.UserKind, "usr_riley", "Riley Reviewer");
    public const string Link = "https://handoff.example.com/cases/cs_1";

    /// <summary>A refund tool call waiting for a person: reasons, customer, options, an SLA due in an hour.</summary>
    public static HandoffCase Refund() => new()
    {
        Id = "cs_1",
        WorkspaceId = "ws_1",
        Content = new CaseContent
        {
            Kind = CaseKind.Action,
            Summary = "Refund of 420 EUR for a broken blender",
            Subject = JsonDocument.Parse("""{"name":"Dana Fischer","email":"dana@example.com"}""").RootElement,
            Proposal = new Proposal(null, new ToolCall("issue_refund", JsonDocument.Parse("""{"amount":420,"currency":"EUR"}""").RootElement), 0.62),
            Options = [new Proposal("Offer a replacement blender instead", null, null)],
        },
        Evaluation = new Evaluation(Outcome.Review, [new Reason("refund-review", "Refunds over 100 EUR need a person", Outcome.Review)], "billing", Priority.High, 0.8, 3),
        Status = CaseStatus.Pending,
        CreatedAt = At,
        UpdatedAt = At,
        Sla = new CaseSla { WarnAt = At.AddMinutes(48), DueAt = At.AddHours(1).AddMinutes(5), Ladder = [] },
    };

    /// <summary>The refund as Riley approved it.</summary>
    public static HandoffCase Approved() => Refund() with
    {
        Status = CaseStatus.Approved,
        Decision = new Decision { Verdict = Verdict.Approve, ProposalDigest = "sha256:x", DecidedBy = Riley, DecidedAt = At, Note = "Checked the photos" },
    };

    public static CaseNotice Escalated(HandoffCase? c = null, string link = Link) => CaseNotices.From(EventTypes.CaseEscalated, c ?? Refund(), link, At);

    public static CaseNotice Decided(HandoffCase? c = null) => CaseNotices.From(EventTypes.CaseDecided, c ?? Approved(), Link, At);
}
