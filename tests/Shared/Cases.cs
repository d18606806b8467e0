using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Tests.Shared;

/// <summary>Small cases and decisions for the tests that are about several nodes or the audit log rather than about the case itself.</summary>
internal static class Cases
{
    public static HandoffCase Pending(string workspaceId, DateTimeOffset now) => new()
    {
        Id = $"case_{Guid.NewGuid():N}",
        WorkspaceId = workspaceId,
        Content = new CaseContent { Kind = CaseKind.Action, Summary = "Refund order 1042", Proposal = new Proposal("Refund it.", null, 0.9) },
        Evaluation = new Evaluation(Outcome.Review, [new Reason("high-value", "Deals above 1,000 need a person's review.")], "sales", Priority.Normal, 0.75, 1),
        Status = CaseStatus.Pending,
        CreatedAt = now,
        UpdatedAt = now,
        SubmittedBy = new Actor("key", "key_agent", "support-bot"),
    };

    public static Decision Approval(Actor person, DateTimeOffset at) => new()
    {
        Verdict = Verdict.Approve,
        Result = new Proposal("Refund it.", null, 0.9),
        ProposalDigest = new string('a', 64),
        DecidedBy = person,
        DecidedAt = at,
    };
}
