using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Cases;

public sealed class TakeoverTransitionsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Agent = new("agent", "k0", "Agent");
    private static readonly Actor[] People = [new("user", "u1", "Ana"), new("user", "u2", "Ben"), new("reviewer", "k2", "Sam")];

    [Fact]
    public void TakeOver_APendingCase_MakesItTheirsWithoutExpiry()
    {
        var pending = Pending() with { ExpiresAt = At.AddMinutes(10) };

        var taken = CaseTransitions.TakeOver(pending, People[0], At)!;

        Assert.Equal(CaseStatus.TakenOver, taken.Status);
        Assert.Equal(People[0], taken.AssignedTo);
        Assert.Equal(At, taken.AssignedAt);
        Assert.Null(taken.ExpiresAt);
        Assert.True(taken.Status.IsOpen());
    }

    [Fact]
    public void TakeOver_WhenHeldBySomeoneElse_IsRefused_AndByTheHolder_Succeeds()
    {
        var claimed = CaseTransitions.Claim(Pending(), People[0], At)!;

        Assert.Null(CaseTransitions.TakeOver(claimed, People[1], At));
        var taken = CaseTransitions.TakeOver(claimed, People[0], At.AddMinutes(1))!;
        Assert.Equal(CaseStatus.TakenOver, taken.Status);
        Assert.Equal(At, taken.AssignedAt);
        Assert.Same(taken, CaseTransitions.TakeOver(taken, People[0], At.AddMinutes(2)));
    }

    [Fact]
    public void TakeOver_OfAClosedCase_IsRefused()
    {
        var decided = CaseTransitions.Decide(Pending(), Decision(People[0]), CaseStatus.Approved)!;

        Assert.Null(CaseTransitions.TakeOver(decided, People[0], At));
    }

    [Fact]
    public void AddMessage_WhileTakenOver_RefusesTheAgentsOwnReply_AndTakesTheCustomersAndTheOwners()
    {
        var taken = CaseTransitions.TakeOver(Pending(), People[0], At)!;

        Assert.Null(CaseTransitions.AddMessage(taken, CaseMessageRole.Agent, "I can help", Agent, At));
        Assert.Null(CaseTransitions.AddMessage(taken, CaseMessageRole.Person, "Not mine", People[1], At));
        var asked = CaseTransitions.AddMessage(taken, CaseMessageRole.Customer, "Where is my parcel?", Agent, At.AddSeconds(1))!;
        var answered = CaseTransitions.AddMessage(asked, CaseMessageRole.Person, "On its way.", People[0], At.AddSeconds(2))!;

        Assert.Equal(
            [new CaseMessage(1, CaseMessageRole.Customer, "Where is my parcel?", At.AddSeconds(1), Agent), new CaseMessage(2, CaseMessageRole.Person, "On its way.", At.AddSeconds(2), People[0])],
            answered.Transcript);
        Assert.Equal(At.AddSeconds(2), answered.UpdatedAt);
    }

    [Fact]
    public void AddMessage_BeforeATakeover_TakesTheAgentsAndTheCustomersButNoPersons()
    {
        var pending = Pending();

        Assert.NotNull(CaseTransitions.AddMessage(pending, CaseMessageRole.Agent, "One moment", Agent, At));
        Assert.NotNull(CaseTransitions.AddMessage(pending, CaseMessageRole.Customer, "Hello?", Agent, At));
        Assert.Null(CaseTransitions.AddMessage(pending, CaseMessageRole.Person, "Hi", People[0], At));
    }

    [Fact]
    public void AddMessage_ToAClosedCaseOrAFullTranscript_IsRefused()
    {
        var decided = CaseTransitions.Decide(Pending(), Decision(People[0]), CaseStatus.Approved)!;
        var full = Pending() with
        {
            Transcript = [.. Enumerable.Range(1, CaseMessage.MaxPerCase).Select(n => new CaseMessage(n, CaseMessageRole.Customer, "hi", At, Agent))],
        };

        Assert.Null(CaseTransitions.AddMessage(decided, CaseMessageRole.Customer, "Hello?", Agent, At));
        Assert.Null(CaseTransitions.AddMessage(full, CaseMessageRole.Customer, "Hello?", Agent, At));
    }

    [Fact]
    public void HandBack_ByTheOwner_ClosesWithTheNoteAsAHandBackDecision()
    {
        var taken = CaseTransitions.TakeOver(Pending(), People[0], At)!;

        Assert.Null(CaseTransitions.HandBack(taken, People[1], "mine now?", At));
        var back = CaseTransitions.HandBack(taken, People[0], "Refund agreed, please confirm it.", At.AddMinutes(3))!;

        Assert.Equal(CaseStatus.HandedBack, back.Status);
        Assert.False(back.Status.IsOpen());
        Assert.Equal(Verdict.HandBack, back.Decision!.Verdict);
        Assert.Equal("Refund agreed, please confirm it.", back.Decision.Text);
        Assert.Equal(People[0], back.Decision.DecidedBy);
        Assert.Equal(ProposalDigest.Compute(taken.Content.Proposal), back.Decision.ProposalDigest);
        Assert.Null(back.Decision.ResultDigest);
        Assert.Null(CaseTransitions.HandBack(back, People[0], "again", At));
    }

    [Fact]
    public void HandBack_OfACaseNotTakenOver_IsRefused()
    {
        Assert.Null(CaseTransitions.HandBack(CaseTransitions.Claim(Pending(), People[0], At)!, People[0], "note", At));
    }

    [Fact]
    public void Release_OfATakenOverCase_EscalatesIt()
    {
        var taken = CaseTransitions.TakeOver(Pending(), People[0], At)!;

        var released = CaseTransitions.Release(taken, People[0], At)!;

        Assert.Equal(CaseStatus.Escalated, released.Status);
        Assert.Null(released.AssignedTo);
    }

    [Fact]
    public void Decide_ByTheOwnerOfATakeover_EndsTheConversation_AndANonOwnerCannot()
    {
        var taken = CaseTransitions.TakeOver(Pending(), People[0], At)!;

        Assert.Null(CaseTransitions.Decide(taken, Decision(People[1]), CaseStatus.Approved));
        Assert.Equal(CaseStatus.Approved, CaseTransitions.Decide(taken, Decision(People[0]), CaseStatus.Approved)!.Status);
    }

    [Fact]
    public void Make_WithHandBack_IsRefusedAsADecision()
    {
        var outcome = Decisions.Make(Pending(), new DecisionRequest(Verdict.HandBack, Text: "note"), People[0], At);

        Assert.False(outcome.Succeeded);
        Assert.Contains("verdict", outcome.Errors.Keys);
    }

    [Fact]
    public void AnySequenceOfActions_KeepsOneOwner_RefusesTheAgentWhileAPersonOwnsIt_AndNumbersTheTranscript()
    {
        // 0 claim, 1 release, 2 decide, 3 take over, 4 customer message, 5 agent message, 6 person message, 7 hand back.
        var action = Gen.Select(Gen.Int[0, 7], Gen.Int[0, People.Length - 1]);
        action.Array[1, 40].Sample(steps =>
        {
            var current = Pending() with { ExpiresAt = At.AddHours(1) };
            var closings = 0;
            foreach (var (kind, who) in steps)
            {
                var actor = People[who];
                var before = current;
                var next = kind switch
                {
                    0 => CaseTransitions.Claim(current, actor, At),
                    1 => CaseTransitions.Release(current, actor, At),
                    2 => CaseTransitions.Decide(current, Decision(actor), CaseStatus.Approved),
                    3 => CaseTransitions.TakeOver(current, actor, At),
                    4 => CaseTransitions.AddMessage(current, CaseMessageRole.Customer, "hello", Agent, At),
                    5 => CaseTransitions.AddMessage(current, CaseMessageRole.Agent, "hi", Agent, At),
                    6 => CaseTransitions.AddMessage(current, CaseMessageRole.Person, "hi", actor, At),
                    _ => CaseTransitions.HandBack(current, actor, "back to you", At),
                };
                if (next is null)
                {
                    continue;
                }

                Assert.True(before.Status.IsOpen(), "a closed case changed");
                if (before.AssignedTo is { } holder && next.AssignedTo is { } after)
                {
                    Assert.Equal(holder.Id, after.Id);
                }

                if (kind is 5)
                {
                    Assert.NotEqual(CaseStatus.TakenOver, before.Status);
                }

                if (kind is 6 or 7)
                {
                    Assert.Equal(CaseStatus.TakenOver, before.Status);
                    Assert.Equal(before.AssignedTo!.Id, actor.Id);
                }

                if (next.Status == CaseStatus.TakenOver)
                {
                    Assert.NotNull(next.AssignedTo);
                    Assert.Null(next.ExpiresAt);
                }

                if (!next.Status.IsOpen())
                {
                    closings++;
                }

                current = next;
            }

            Assert.True(closings <= 1, "closed twice");
            Assert.Equal(closings == 1, current.Decision is not null);
            Assert.Equal(Enumerable.Range(1, current.Transcript?.Count ?? 0), (current.Transcript ?? []).Select(m => m.Number));
            Assert.Equal(current.Status == CaseStatus.HandedBack, current.Decision?.Verdict == Verdict.HandBack);
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
