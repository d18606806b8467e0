using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

/// <summary>Handing an open case on: a supervisor's reassignment, a holder's transfer to a colleague or another team.</summary>
public sealed class HandoversTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Ana = new(Actor.UserKind, "u_ana", "Ana");
    private static readonly Actor Ben = new(Actor.UserKind, "u_ben", "Ben");

    [Fact]
    public void ToPerson_ARingingCase_EndsTheOfferAndAssignsThem()
    {
        var ringing = Queued() with { Offer = new CaseOffer(Ben, At, At.AddSeconds(30), false) };

        var given = Handovers.ToPerson(ringing, Ana, heldBy: null, At.AddSeconds(5))!;

        Assert.Equal((CaseStatus.Assigned, Ana, At.AddSeconds(5)), (given.Status, given.AssignedTo, given.AssignedAt));
        Assert.Null(given.Offer);
    }

    [Fact]
    public void ToPerson_AnEscalatedCase_StaysEscalated_AndToItsHolderChangesNothing()
    {
        var escalated = Queued() with { Status = CaseStatus.Escalated, AssignedTo = Ana, AssignedAt = At };

        Assert.Equal(CaseStatus.Escalated, Handovers.ToPerson(escalated, Ben, null, At)!.Status);
        Assert.Same(escalated, Handovers.ToPerson(escalated, Ana, null, At));
    }

    [Fact]
    public void ATakenOverConversation_GoesToAColleagueStillTakenOver_ButNeverBackToAQueue()
    {
        var chatting = Queued() with { Status = CaseStatus.TakenOver, AssignedTo = Ana, AssignedAt = At };

        var given = Handovers.ToPerson(chatting, Ben, heldBy: Ana.Id, At.AddMinutes(1))!;

        Assert.Equal((CaseStatus.TakenOver, Ben), (given.Status, given.AssignedTo));
        Assert.Null(Handovers.ToTeam(chatting, "sales", heldBy: Ana.Id, At.AddMinutes(1)));
    }

    [Fact]
    public void ToPerson_OrToTeam_WhenNotHeldByTheOneWhoMustHoldIt_OrClosed_IsRefused()
    {
        var held = Queued() with { Status = CaseStatus.Assigned, AssignedTo = Ana, AssignedAt = At };
        var closed = Queued() with { Status = CaseStatus.Approved };

        Assert.Null(Handovers.ToPerson(held, Ben, heldBy: Ben.Id, At));
        Assert.Null(Handovers.ToTeam(held, "sales", heldBy: Ben.Id, At));
        Assert.Null(Handovers.ToPerson(closed, Ben, null, At));
        Assert.Null(Handovers.ToTeam(closed, "sales", null, At));
        Assert.NotNull(Handovers.ToTeam(held, "sales", heldBy: Ana.Id, At));
    }

    [Fact]
    public void ToTeam_QueuesTheCaseInTheTeamUnassigned_WithNobodyPassedOver()
    {
        var held = Queued() with { Status = CaseStatus.Assigned, AssignedTo = Ana, AssignedAt = At, PassedOver = [Ben.Id] };

        var moved = Handovers.ToTeam(held, "sales", Ana.Id, At.AddMinutes(1))!;

        Assert.Equal(("sales", CaseStatus.Pending, At.AddMinutes(1)), (moved.Evaluation.Team, moved.Status, moved.UpdatedAt));
        Assert.Null(moved.AssignedTo);
        Assert.Null(moved.AssignedAt);
        Assert.Null(moved.PassedOver);
        Assert.Null(moved.Offer);
    }

    [Fact]
    public void ToTeam_TheTeamTheCaseIsAlreadyIn_IsRefused()
    {
        var held = Queued() with { Status = CaseStatus.Assigned, AssignedTo = Ana, AssignedAt = At };

        Assert.Null(Handovers.ToTeam(held, "billing", heldBy: null, At));
        Assert.Null(Handovers.ToTeam(Queued(), "billing", heldBy: null, At));
    }

    private static HandoffCase Queued() => new()
    {
        Id = "cs_handover",
        WorkspaceId = "ws",
        Content = new CaseContent { Kind = CaseKind.Reply },
        Evaluation = new Evaluation(Outcome.Review, [], "billing", Priority.Normal, 0.75, 1),
        Status = CaseStatus.Pending,
        CreatedAt = At,
    };
}
