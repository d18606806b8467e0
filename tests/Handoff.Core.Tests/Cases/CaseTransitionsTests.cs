using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Cases;

public sealed class CaseTransitionsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor[] People = [new("reviewer", "k1", "Rita"), new("reviewer", "k2", "Sam"), new("admin", "k3", "Ada")];

    [Fact]
    public void Claim_WhenHeldBySomeoneElse_IsRefused()
    {
        var held = CaseTransitions.Claim(Pending(), People[0], At)!;

        Assert.Null(CaseTransitions.Claim(held, People[1], At));
        Assert.Same(held, CaseTransitions.Claim(held, People[0], At));
    }

    [Fact]
    public void Decide_WhenClosed_IsRefused()
    {
        var decided = CaseTransitions.Decide(Pending(), Decision(People[0]), CaseStatus.Approved)!;

        Assert.Null(CaseTransitions.Decide(decided, Decision(People[1]), CaseStatus.Rejected));
        Assert.Null(CaseTransitions.Claim(decided, People[1], At));
        Assert.Null(CaseTransitions.Release(decided, People[0], At));
    }

    [Fact]
    public void Release_OfAnEscalatedCase_KeepsItEscalated()
    {
        var escalated = Pending() with { Status = CaseStatus.Escalated };

        var released = CaseTransitions.Release(CaseTransitions.Claim(escalated, People[0], At)!, People[0], At)!;

        Assert.Equal(CaseStatus.Escalated, released.Status);
        Assert.Null(released.AssignedTo);
    }

    [Fact]
    public void AnySequenceOfActions_NeverHasTwoHoldersOrTwoDecisionsOrADecisionByANonHolder()
    {
        var action = Gen.Select(Gen.Int[0, 2], Gen.Int[0, People.Length - 1]);
        action.Array[1, 30].Sample(steps =>
        {
            var current = Pending();
            var decisions = 0;
            foreach (var (kind, who) in steps)
            {
                var actor = People[who];
                var before = current;
                var next = kind switch
                {
                    0 => CaseTransitions.Claim(current, actor, At),
                    1 => CaseTransitions.Release(current, actor, At),
                    _ => CaseTransitions.Decide(current, Decision(actor), CaseStatus.Approved),
                };
                if (next is null)
                {
                    continue;
                }

                if (kind == 2)
                {
                    decisions++;
                    Assert.True(before.AssignedTo is null || before.AssignedTo.Id == actor.Id, "decided by someone other than the holder");
                }

                if (kind == 0 && before.AssignedTo is { } holder)
                {
                    Assert.Equal(holder.Id, actor.Id);
                }

                current = next;
            }

            Assert.True(decisions <= 1, "decided twice");
            Assert.Equal(decisions == 1, current.Decision is not null);
        }, iter: 2000);
    }

    private static Decision Decision(Actor by) => new() { Verdict = Verdict.Approve, ProposalDigest = new string('0', 64), DecidedBy = by, DecidedAt = At };

    private static HandoffCase Pending() => new()
    {
        Id = "cs_1",
        WorkspaceId = "ws",
        Content = new CaseContent { Kind = CaseKind.Reply },
        Evaluation = new Evaluation(Outcome.Review, [], "support", Priority.Normal, 0.75, 1),
        Status = CaseStatus.Pending,
        CreatedAt = At,
    };
}
