using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Cases;

/// <summary>
/// A case whose policy asks for <c>approvals: N</c>: it closes only after N distinct people approved, with the first
/// approver's result; one reject ends it at once; the role, when one is asked for, is checked before anything changes.
/// </summary>
public sealed class TwoPersonRuleTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Rita = new("user", "u_rita", "Rita");
    private static readonly Actor Sam = new("user", "u_sam", "Sam");
    private static readonly Actor Ada = new("user", "u_ada", "Ada");

    [Fact]
    public void Decide_WithTheFirstOfTwoApprovals_KeepsTheCaseOpenAndBackInTheQueue()
    {
        var claimed = CaseTransitions.Claim(Needing(2), Rita, At)!;

        var once = CaseTransitions.Decide(claimed, Made(claimed, new DecisionRequest(Verdict.Approve), Rita), CaseStatus.Approved)!;

        Assert.Equal(CaseStatus.Pending, once.Status);
        Assert.Null(once.Decision);
        Assert.Null(once.AssignedTo);
        Assert.Equal(Rita, Assert.Single(once.Approvals!).DecidedBy);
        Assert.Equal(claimed.ExpiresAt, once.ExpiresAt);
    }

    [Fact]
    public void Decide_WithTheFirstOfTwoApprovalsOnATakenOverConversation_SendsItBackEscalatedAsAReleaseWould()
    {
        var taken = CaseTransitions.TakeOver(Needing(2), Rita, At)!;

        var once = CaseTransitions.Decide(taken, Made(taken, new DecisionRequest(Verdict.Approve), Rita), CaseStatus.Approved)!;

        Assert.Equal((CaseStatus.Escalated, null), (once.Status, once.AssignedTo));
        Assert.Equal(CaseTransitions.Release(taken, Rita, At)!.Status, once.Status);
    }

    [Fact]
    public void Decide_WithTheSecondApprovalBySomeoneElse_ClosesWithTheFirstApproversEdit()
    {
        var start = Needing(2);
        var edited = Made(start, new DecisionRequest(Verdict.Edit, Text: "Refund 900 instead."), Rita);
        var once = CaseTransitions.Decide(start, edited, CaseStatus.Approved)!;

        var twice = CaseTransitions.Decide(once, Made(once, new DecisionRequest(Verdict.Approve, Note: "agreed"), Sam), CaseStatus.Approved)!;

        Assert.Equal(CaseStatus.Approved, twice.Status);
        Assert.Equal(Verdict.Edit, twice.Decision!.Verdict);
        Assert.Equal("Refund 900 instead.", twice.Decision.Result!.Text);
        Assert.Equal(edited.ResultDigest, twice.Decision.ResultDigest);
        Assert.Equal(Sam, twice.Decision.DecidedBy);
        Assert.Equal("agreed", twice.Decision.Note);
        Assert.Equal([Rita, Sam], twice.Approvals!.Select(static a => a.DecidedBy));
        Assert.Null(twice.ExpiresAt);
    }

    [Fact]
    public void Decide_WhenTheSamePersonApprovesAgain_IsRefusedWithAReason()
    {
        var once = CaseTransitions.Decide(Needing(2), Made(Needing(2), new DecisionRequest(Verdict.Approve), Rita), CaseStatus.Approved)!;

        var again = Decisions.Make(once, new DecisionRequest(Verdict.Approve), Rita, At, "reviewer");

        Assert.False(again.Succeeded);
        Assert.Equal("You already approved this case; it needs 2 approvals by different people.", again.Errors["verdict"].Single());
        var forced = once.Approvals![0] with { DecidedAt = At.AddMinutes(1) };
        Assert.Null(CaseTransitions.Decide(once, forced, CaseStatus.Approved));
    }

    [Fact]
    public void Decide_AfterTheFirstApproval_AcceptsOnlyApproveOrReject()
    {
        var once = CaseTransitions.Decide(Needing(2), Made(Needing(2), new DecisionRequest(Verdict.Approve), Rita), CaseStatus.Approved)!;

        var edit = Decisions.Make(once, new DecisionRequest(Verdict.Edit, Text: "other"), Sam, At, "reviewer");
        var respond = Decisions.Make(once, new DecisionRequest(Verdict.Respond, Text: "mine"), Sam, At, "reviewer");

        Assert.Equal("This case already has 1 of 2 approvals (Rita); approve it as it stands or reject it.", edit.Errors["verdict"].Single());
        Assert.False(respond.Succeeded);
    }

    [Fact]
    public void Decide_WithOneReject_EndsTheCaseWhateverApprovalsItHas()
    {
        var once = CaseTransitions.Decide(Needing(3), Made(Needing(3), new DecisionRequest(Verdict.Approve), Rita), CaseStatus.Approved)!;

        var rejected = Decisions.Make(once, new DecisionRequest(Verdict.Reject, Text: "No."), Sam, At, "reviewer");
        var closed = CaseTransitions.Decide(once, rejected.Decision!, rejected.Status)!;

        Assert.Equal(CaseStatus.Rejected, closed.Status);
        Assert.Equal(Verdict.Reject, closed.Decision!.Verdict);
    }

    [Fact]
    public void Make_WhenTheRuleAsksForASupervisor_RefusesAReviewersApprovalButNotTheirReject()
    {
        var start = Needing(2, role: "supervisor");

        var approve = Decisions.Make(start, new DecisionRequest(Verdict.Approve), Rita, At, "reviewer");
        var noRole = Decisions.Make(start, new DecisionRequest(Verdict.Approve), Rita, At);
        var reject = Decisions.Make(start, new DecisionRequest(Verdict.Reject, Text: "No."), Rita, At, "reviewer");

        Assert.True(approve.Forbidden);
        Assert.Equal("This case needs approval by a supervisor or above; you may reject it, or leave it to one.", approve.Errors["verdict"].Single());
        Assert.True(noRole.Forbidden);
        Assert.True(reject.Succeeded);
        Assert.True(Decisions.Make(start, new DecisionRequest(Verdict.Approve), Ada, At, "admin").Succeeded);
        Assert.True(Decisions.Make(start, new DecisionRequest(Verdict.Approve), Sam, At, "supervisor").Succeeded);
    }

    [Fact]
    public void Decide_WhenTheCaseTimesOut_TheTimeoutDecidesRegardlessOfApprovals()
    {
        var once = CaseTransitions.Decide(Needing(2), Made(Needing(2), new DecisionRequest(Verdict.Approve), Rita), CaseStatus.Approved)!;

        var timedOut = Decisions.ByTimeout(once with { OnTimeout = TimeoutEffect.Approve }, At.AddHours(1));

        Assert.Equal(CaseStatus.Approved, timedOut.Status);
        Assert.True(timedOut.Decision!.TimedOut);
    }

    [Fact]
    public void Decide_ForAnySequenceOfPeopleAndVerdicts_ClosesOnlyAfterNDistinctApprovalsOrOneReject() =>
        Gen.Select(Gen.Int[1, 4], Gen.Select(Gen.Int[0, 2], Gen.Bool, Gen.Int[0, 9]).Array[1, 12])
            .Sample(static (needed, steps) =>
            {
                Actor[] people = [Rita, Sam, Ada];
                var current = Needing(needed);
                var distinct = new HashSet<string>(StringComparer.Ordinal);
                var rejectedAt = -1;
                for (var i = 0; i < steps.Length && current.Status.IsOpen(); i++)
                {
                    var (who, approve, roll) = steps[i];
                    var reject = !approve && roll < 3;
                    var request = reject ? new DecisionRequest(Verdict.Reject, Text: "No.") : new DecisionRequest(Verdict.Approve);
                    var outcome = Decisions.Make(current, request, people[who], At.AddMinutes(i), "reviewer");
                    if (!outcome.Succeeded)
                    {
                        Assert.Contains(people[who].Id, distinct);
                        continue;
                    }

                    var next = CaseTransitions.Decide(current, outcome.Decision!, outcome.Status);
                    Assert.NotNull(next);
                    current = next;
                    if (reject)
                    {
                        rejectedAt = i;
                    }
                    else
                    {
                        distinct.Add(people[who].Id);
                    }

                    // Never two approvals by one person, and open exactly while short of N with no reject.
                    Assert.Equal(current.Approvals?.Count ?? 0, current.Approvals?.Select(static a => a.DecidedBy!.Id).Distinct().Count() ?? 0);
                    Assert.Equal(rejectedAt < 0 && distinct.Count < needed, current.Status.IsOpen());
                }

                if (current.Status == CaseStatus.Approved)
                {
                    Assert.Equal(needed, distinct.Count);
                }
            }, iter: 500);

    private static Decision Made(HandoffCase c, DecisionRequest request, Actor by)
    {
        var outcome = Decisions.Make(c, request, by, At, "reviewer");
        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors.Values.SelectMany(static e => e)));
        return outcome.Decision!;
    }

    private static HandoffCase Needing(int approvals, string? role = null) => new()
    {
        Id = "cs_2p",
        WorkspaceId = "ws",
        Content = new CaseContent { Kind = CaseKind.Reply, Proposal = new Proposal("Refund 1,450.", null, 0.9) },
        Evaluation = new Evaluation(Outcome.Review, [], "billing", Priority.High, 0.75, 1)
        {
            Routing = new RoutingRequirements([], null, HandoffMode.Queue, null, 0.8, [], TimeSpan.FromMinutes(1), new ApprovalRule(approvals, role)),
        },
        Status = CaseStatus.Pending,
        CreatedAt = At,
        ExpiresAt = At.AddHours(4),
    };
}
