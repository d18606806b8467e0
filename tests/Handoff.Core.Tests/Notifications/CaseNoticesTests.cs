using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Notifications;

public sealed class CaseNoticesTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Riley = new(Actor.UserKind, "usr_riley", "Riley Reviewer");

    [Fact]
    public void From_AnEscalatedRefund_CarriesReasonsCustomerProposalOptionsAndDueTime()
    {
        var notice = CaseNotices.From(EventTypes.CaseEscalated, Refund(), "https://handoff.example.com/cases/cs_1", At);

        Assert.Equal("Needs a person", notice.Headline);
        Assert.Equal("Refund of 420 EUR for a broken blender", notice.Title);
        Assert.Equal(["Refunds over 100 EUR need a person"], notice.Reasons);
        Assert.Equal("Dana Fischer", notice.Customer);
        Assert.Equal("""issue_refund({"amount":420,"currency":"EUR"})""", notice.Proposal);
        Assert.Equal("issue_refund", notice.ProposedTool);
        Assert.Equal(0.62, notice.Confidence);
        Assert.Equal(["Offer a replacement blender instead"], notice.Options);
        Assert.Equal((Priority.High, "billing", At.AddHours(1)), (notice.Priority, notice.Team, notice.DueAt));
        Assert.True(notice.Decidable);
        Assert.Equal("https://handoff.example.com/cases/cs_1", notice.Link);
    }

    [Fact]
    public void From_ADecidedCase_SaysWhoDecidedHow_AndIsNoLongerDecidable()
    {
        var decided = Refund() with
        {
            Status = CaseStatus.Rejected,
            Decision = new Decision { Verdict = Verdict.Reject, ProposalDigest = "sha256:x", DecidedBy = Riley, DecidedAt = At, Note = "Out of warranty" },
        };

        var notice = CaseNotices.From(EventTypes.CaseDecided, decided, "/cases/cs_1", At);

        Assert.Equal(("Rejected by Riley Reviewer", "Riley Reviewer", Verdict.Reject, "Out of warranty"), (notice.Headline, notice.DecidedBy, notice.Verdict, notice.Note));
        Assert.False(notice.Decidable);
    }

    [Fact]
    public void From_ACaseWithoutSummaryOrSubject_NamesItsKind_AndCutsLongProposals()
    {
        var bare = Refund() with
        {
            Content = new CaseContent { Kind = CaseKind.Reply, Proposal = new Proposal(new string('x', 1000), null, null) },
            Evaluation = Refund().Evaluation with { Reasons = [new Reason("low-confidence", "", Outcome.Review), new Reason("vip", "VIP", Outcome.Auto)] },
        };

        var notice = CaseNotices.From(EventTypes.CaseEscalated, bare, "/cases/cs_1", At);

        Assert.Equal(("A reply to check", (string?)null), (notice.Title, notice.Customer));
        Assert.Equal(["low-confidence"], notice.Reasons);
        Assert.Equal(CaseNotices.MaxLineLength, notice.Proposal!.Length);
        Assert.Null(notice.ProposedTool);
        Assert.EndsWith("…", notice.Proposal, StringComparison.Ordinal);
    }

    private static HandoffCase Refund() => new()
    {
        Id = "cs_1",
        WorkspaceId = "ws_1",
        Content = new CaseContent
        {
            Kind = CaseKind.Action,
            Summary = " Refund of 420 EUR for a broken blender ",
            Subject = JsonDocument.Parse("""{"name":"Dana Fischer","email":"dana@example.com"}""").RootElement,
            Proposal = new Proposal(null, new ToolCall("issue_refund", JsonDocument.Parse("""{"amount":420,"currency":"EUR"}""").RootElement), 0.62),
            Options = [new Proposal("Offer a replacement blender instead", null, null)],
        },
        Evaluation = new Evaluation(Outcome.Review, [new Reason("refund-review", "Refunds over 100 EUR need a person", Outcome.Review)], "billing", Priority.High, 0.8, 3),
        Status = CaseStatus.Pending,
        CreatedAt = At,
        UpdatedAt = At,
        Sla = new CaseSla { WarnAt = At.AddMinutes(48), DueAt = At.AddHours(1), Ladder = [] },
    };
}
