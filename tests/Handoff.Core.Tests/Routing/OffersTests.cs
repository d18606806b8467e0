using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

/// <summary>Offering a case to one person at a time: accept within the time, decline, lapse, live fallback, races.</summary>
public sealed class OffersTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly Actor Ana = new(Actor.UserKind, "u_ana", "Ana");
    private static readonly Actor Ben = new(Actor.UserKind, "u_ben", "Ben");
    private static readonly Actor Cy = new(Actor.UserKind, "u_cy", "Cy");

    [Fact]
    public void Accept_BeforeTheOfferLapses_MakesTheCaseTheirs()
    {
        var offered = Offers.Offer(Queued(), Ana, At, Timeout)!;

        var accepted = Offers.Accept(offered, Ana, At.AddSeconds(29))!;

        Assert.Equal(new CaseOffer(Ana, At, At.AddSeconds(30), Live: false), offered.Offer);
        Assert.Equal((CaseStatus.Assigned, Ana, (CaseOffer?)null), (accepted.Status, accepted.AssignedTo, accepted.Offer));
        Assert.Equal(At.AddSeconds(29), accepted.AssignedAt);
    }

    [Fact]
    public void Accept_AtOrAfterTheOfferLapsed_OrBySomeoneElse_IsRefused()
    {
        var offered = Offers.Offer(Queued(), Ana, At, Timeout)!;

        Assert.Null(Offers.Accept(offered, Ana, At.AddSeconds(30)));
        Assert.Null(Offers.Accept(offered, Ben, At.AddSeconds(1)));
        Assert.Null(Offers.Accept(Queued(), Ana, At));
    }

    [Fact]
    public void Offer_WhileAnotherRings_IsRefused_ButAfterItLapsedPassesThePersonOver()
    {
        var offered = Offers.Offer(Queued(), Ana, At, Timeout)!;

        Assert.Null(Offers.Offer(offered, Ben, At.AddSeconds(10), Timeout));
        var next = Offers.Offer(offered, Ben, At.AddSeconds(30), Timeout)!;

        Assert.Equal(Ben, next.Offer!.To);
        Assert.Equal(["u_ana"], next.PassedOver);
        Assert.Null(Offers.Offer(Offers.Lapse(next, At.AddMinutes(1))!, Ana, At.AddMinutes(1), Timeout));
    }

    [Fact]
    public void Decline_EndsTheOfferAndTheCaseIsNotOfferedToThemAgain()
    {
        var declined = Offers.Decline(Offers.Offer(Queued(), Ana, At, Timeout)!, Ana, At.AddSeconds(3))!;

        Assert.Null(declined.Offer);
        Assert.Equal(["u_ana"], declined.PassedOver);
        Assert.Null(Offers.Offer(declined, Ana, At.AddSeconds(4), Timeout));
        Assert.NotNull(Offers.Offer(declined, Ben, At.AddSeconds(4), Timeout));
        Assert.Null(Offers.Decline(declined, Ana, At.AddSeconds(5)));
    }

    [Fact]
    public void Claim_FromTheQueue_CancelsAnOfferRingingForSomeoneElse()
    {
        var offered = Offers.Offer(Queued(), Ana, At, Timeout)!;

        var claimed = CaseTransitions.Claim(offered, Ben, At.AddSeconds(2))!;

        Assert.Equal(Ben, claimed.AssignedTo);
        Assert.Null(claimed.Offer);
        Assert.Null(Offers.Accept(claimed, Ana, At.AddSeconds(3)));
    }

    [Fact]
    public void Offer_OfALiveCase_RingsNoLongerThanItsLiveWaitThenItFallsBack()
    {
        var live = Queued() with { LiveUntil = At.AddSeconds(20) };

        var offered = Offers.Offer(live, Ana, At, Timeout)!;

        Assert.Equal(new CaseOffer(Ana, At, At.AddSeconds(20), Live: true), offered.Offer);
        Assert.Equal(At.AddSeconds(20), Offers.NextDue(offered));
        Assert.Null(Offers.FallBack(offered, At.AddSeconds(19)));
        var fellBack = Offers.FallBack(Offers.Lapse(offered, At.AddSeconds(20))!, At.AddSeconds(20))!;
        Assert.Equal(At.AddSeconds(20), fellBack.LiveFallbackAt);
        Assert.False(fellBack.IsLive());
        Assert.False(Offers.Offer(fellBack, Ben, At.AddSeconds(21), Timeout)!.Offer!.Live);
        Assert.Null(Offers.NextDue(fellBack));
    }

    [Fact]
    public void Accept_OfALiveOffer_MakesALiveConversationThatNeverFallsBack()
    {
        var accepted = Offers.Accept(Offers.Offer(Queued() with { LiveUntil = At.AddMinutes(1) }, Ana, At, Timeout)!, Ana, At.AddSeconds(5))!;

        Assert.True(accepted.IsLive());
        Assert.Null(Offers.FallBack(accepted, At.AddMinutes(2)));
        Assert.Null(Offers.NextDue(accepted));
    }

    [Fact]
    public void Offers_ForAnyInterleavingOfPeopleAndTime_NeverGiveTheCaseTwoOwnersOrAcceptALapsedOffer() =>
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 2], Gen.Int[0, 40]).Array[1, 30].Sample(static steps =>
        {
            Actor[] people = [Ana, Ben, Cy];
            var current = Queued() with { LiveUntil = At.AddSeconds(60) };
            var now = At;
            foreach (var (action, who, seconds) in steps)
            {
                now = now.AddSeconds(seconds);
                var before = current;
                var next = action switch
                {
                    0 => Offers.Offer(current, people[who], now, Timeout),
                    1 => Offers.Accept(current, people[who], now),
                    2 => Offers.Decline(current, people[who], now),
                    3 => Offers.Lapse(current, now),
                    _ => CaseTransitions.Claim(current, people[who], now),
                };
                if (next is null)
                {
                    continue;
                }

                if (action == 1)
                {
                    // Only the person the case rang for, and only before it lapsed.
                    Assert.Equal(people[who].Id, before.Offer!.To.Id);
                    Assert.True(now < before.Offer.ExpiresAt);
                }

                if (before.AssignedTo is { } owner)
                {
                    // Once someone holds the case, nobody else ever does.
                    Assert.Equal(owner.Id, next.AssignedTo?.Id);
                }

                // An offer rings only while nobody holds the case, and never for someone who passed it over.
                Assert.False(next.Offer is not null && next.AssignedTo is not null);
                Assert.False(next.Offer is { } o && next.PassedOver?.Contains(o.To.Id) == true);
                current = next;
            }
        }, iter: 1000);

    private static HandoffCase Queued() => new()
    {
        Id = "cs_offer",
        WorkspaceId = "ws",
        Content = new CaseContent { Kind = CaseKind.Reply },
        Evaluation = new Evaluation(Outcome.Review, [], "billing", Priority.Normal, 0.75, 1),
        Status = CaseStatus.Pending,
        CreatedAt = At,
    };
}
