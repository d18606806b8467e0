using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

/// <summary>The breach ladder beside the rest of routing: offers ringing, and conversations a person has taken over.</summary>
public sealed class SlaLadderTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Ana = new(Actor.UserKind, "u_ana", "Ana");
    private static readonly Actor Lee = new(Actor.UserKind, "u_lee", "Lee");
    private static readonly SlaTeam Billing = new("overflow", Lee);

    [Fact]
    public void ATakenOverConversation_HasNoSlaEventDue_AndNothingRunsOnIt()
    {
        var chatting = Breached([BreachAction.Overflow, BreachAction.Timeout]) with { Status = CaseStatus.TakenOver, AssignedTo = Ana, AssignedAt = At };

        Assert.Null(SlaLadder.NextAt(chatting));
        Assert.Empty(SlaLadder.Run(chatting, At.AddHours(5), _ => Billing));
        Assert.NotNull(SlaLadder.NextAt(chatting with { Status = CaseStatus.Assigned }));
    }

    [Fact]
    public void Overflow_EndsTheOfferRingingInTheOldTeam_AndForgetsWhoPassedItOver()
    {
        var ringing = Breached([BreachAction.Overflow]) with
        {
            Offer = new CaseOffer(Ana, At, At.AddMinutes(5), false),
            PassedOver = ["u_ben"],
        };

        var moved = Assert.Single(SlaLadder.Run(ringing, At.AddHours(2), _ => Billing)).After;

        Assert.Equal(("overflow", null, null), (moved.Evaluation.Team, moved.Offer, moved.PassedOver));
    }

    [Fact]
    public void Supervisor_TakesAnUnclaimedRingingCase_AndTheOfferEnds()
    {
        var ringing = Breached([BreachAction.Supervisor]) with { Offer = new CaseOffer(Ana, At, At.AddMinutes(5), false) };

        var taken = Assert.Single(SlaLadder.Run(ringing, At.AddHours(2), _ => Billing)).After;

        Assert.Equal((CaseStatus.Escalated, Lee, null), (taken.Status, taken.AssignedTo, taken.Offer));
    }

    [Fact]
    public void Supervisor_WithNoRoomLeft_LeavesTheCaseEscalatedInTheQueue_AndSaysWhy()
    {
        var full = Billing with { SupervisorHasRoom = false };

        var step = Assert.Single(SlaLadder.Run(Breached([BreachAction.Supervisor]), At.AddHours(2), _ => full));

        Assert.Equal((CaseStatus.Escalated, (Actor?)null, "the supervisor is at capacity"), (step.After.Status, step.After.AssignedTo, step.Skipped));
    }

    // Warned and breached already: only the ladder's rungs, an hour apart from the due time, are left.
    private static HandoffCase Breached(BreachAction[] ladder) => new()
    {
        Id = "cs_sla",
        WorkspaceId = "ws",
        Content = new CaseContent { Kind = CaseKind.Reply },
        Evaluation = new Evaluation(Outcome.Review, [], "billing", Priority.Normal, 0.75, 1),
        Status = CaseStatus.Pending,
        CreatedAt = At.AddHours(-1),
        OnTimeout = TimeoutEffect.Escalate,
        Sla = new CaseSla
        {
            WarnAt = At.AddMinutes(-12),
            DueAt = At,
            WarnedAt = At.AddMinutes(-12),
            BreachedAt = At,
            Ladder = [.. ladder.Select((a, i) => new SlaRung(At.AddHours(i + 1), a))],
        },
    };
}
