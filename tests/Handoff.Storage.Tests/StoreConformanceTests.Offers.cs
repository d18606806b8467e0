using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private static readonly CapacityLimit RoomForTwo = new(2, QueuedWeight: 1, LiveWeight: 2);
    private static readonly TimeSpan Ring = TimeSpan.FromSeconds(30);

    [Fact]
    public virtual async Task AcceptOffer_BeforeItLapses_AssignsTheCaseAuditedAsAccepted()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));

        var offered = await store.OfferCaseAsync(workspace.Id, created.Id, Rita, Start, Ring, Ct);
        Assert.Equal(Start.AddSeconds(30), await store.GetNextOfferDueAsync(Ct));
        var accepted = await store.AcceptOfferAsync(workspace.Id, created.Id, Rita, Start.AddSeconds(10), RoomForTwo, Ct);

        Assert.Equal(CaseUpdateStatus.Updated, offered.Status);
        Assert.Equal((CaseUpdateStatus.Updated, CaseStatus.Assigned), (accepted.Status, accepted.Case!.Status));
        Assert.Equal(Rita, accepted.Case.AssignedTo);
        Assert.Null(accepted.Case.Offer);
        AssertSameCase(accepted.Case, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
        Assert.Null(await store.GetNextOfferDueAsync(Ct));
        var history = await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct);
        Assert.Equal([AuditData.CaseCreated, AuditData.CaseOffered, AuditData.CaseAccepted], history.Select(static e => e.Action));
        using var offer = JsonDocument.Parse(history[1].Data);
        Assert.Equal(Rita.Id, offer.RootElement.GetProperty("to").GetProperty("id").GetString());
        AssertReplays(history, accepted.Case);
    }

    [Fact]
    public virtual async Task AcceptOffer_AfterItLapsed_OrByAnother_IsAConflictAndChangesNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        var offered = (await store.OfferCaseAsync(workspace.Id, created.Id, Rita, Start, Ring, Ct)).Case!;

        var late = await store.AcceptOfferAsync(workspace.Id, created.Id, Rita, Start.AddSeconds(30), RoomForTwo, Ct);
        var other = await store.AcceptOfferAsync(workspace.Id, created.Id, Sam, Start.AddSeconds(1), RoomForTwo, Ct);
        var elsewhere = await store.AcceptOfferAsync("ws_other", created.Id, Rita, Start.AddSeconds(1), RoomForTwo, Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, late.Status);
        Assert.Equal(CaseUpdateStatus.Conflict, other.Status);
        Assert.Equal(CaseUpdateStatus.NotFound, elsewhere.Status);
        AssertSameCase(offered, await store.GetCaseAsync(workspace.Id, created.Id, Ct));
    }

    [Fact]
    public virtual async Task LapseDueOffers_EndsOnlyLapsedOffersAndPassesTheirPeopleOver()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var early = await CreateAsync(store, NewCase(workspace.Id));
        var late = await CreateAsync(store, NewCase(workspace.Id));
        await store.OfferCaseAsync(workspace.Id, early.Id, Rita, Start, Ring, Ct);
        await store.OfferCaseAsync(workspace.Id, late.Id, Sam, Start.AddSeconds(20), Ring, Ct);

        var lapsed = Assert.Single(await store.LapseDueOffersAsync(Start.AddSeconds(30), 10, Ct));

        Assert.Equal(early.Id, lapsed.Id);
        Assert.Null(lapsed.Offer);
        Assert.Equal([Rita.Id], lapsed.PassedOver);
        Assert.Equal(Start.AddSeconds(50), await store.GetNextOfferDueAsync(Ct));
        Assert.Equal(CaseUpdateStatus.Conflict, (await store.OfferCaseAsync(workspace.Id, early.Id, Rita, Start.AddMinutes(1), Ring, Ct)).Status);
        Assert.Equal(CaseUpdateStatus.Updated, (await store.OfferCaseAsync(workspace.Id, early.Id, Sam, Start.AddMinutes(1), Ring, Ct)).Status);
        Assert.Equal(AuditData.CaseOfferLapsed, (await store.GetCaseHistoryAsync(workspace.Id, early.Id, Ct))[2].Action);
    }

    [Fact]
    public virtual async Task DeclineOffer_EndsItForThatPersonOnly()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = await CreateAsync(store, NewCase(workspace.Id));
        await store.OfferCaseAsync(workspace.Id, created.Id, Rita, Start, Ring, Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, (await store.DeclineOfferAsync(workspace.Id, created.Id, Sam, Start.AddSeconds(1), Ct)).Status);
        var declined = await store.DeclineOfferAsync(workspace.Id, created.Id, Rita, Start.AddSeconds(2), Ct);

        Assert.Equal(CaseUpdateStatus.Updated, declined.Status);
        Assert.Equal([Rita.Id], declined.Case!.PassedOver);
        Assert.Null(await store.GetNextOfferDueAsync(Ct));
    }

    [Fact]
    public virtual async Task AcceptOffer_ManyAtOnceForOnePerson_NeverTakesThemOverCapacity()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var cases = new List<HandoffCase>();
        for (var i = 0; i < 6; i++)
        {
            var c = await CreateAsync(store, NewCase(workspace.Id));
            await store.OfferCaseAsync(workspace.Id, c.Id, Rita, Start, Ring, Ct);
            cases.Add(c);
        }

        var results = await Task.WhenAll(cases.Select(c => store.AcceptOfferAsync(workspace.Id, c.Id, Rita, Start.AddSeconds(1), RoomForTwo, Ct)));

        Assert.Equal(2, results.Count(static r => r.Status == CaseUpdateStatus.Updated));
        Assert.Equal(4, results.Count(static r => r.Status == CaseUpdateStatus.OverCapacity));
        var held = (await store.ListRoutableCasesAsync(workspace.Id, Ct)).Count(c => c.AssignedTo?.Id == Rita.Id);
        Assert.Equal(2, held);
    }

    [Fact]
    public virtual async Task AcceptOffer_OfALiveCase_WeighsAsALiveConversation()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var queued = await CreateAsync(store, NewCase(workspace.Id));
        var live = await CreateAsync(store, NewCase(workspace.Id) with { LiveUntil = Start.AddMinutes(1) });
        await store.OfferCaseAsync(workspace.Id, queued.Id, Rita, Start, Ring, Ct);
        await store.AcceptOfferAsync(workspace.Id, queued.Id, Rita, Start.AddSeconds(1), RoomForTwo, Ct);
        await store.OfferCaseAsync(workspace.Id, live.Id, Rita, Start.AddSeconds(2), Ring, Ct);

        var accepted = await store.AcceptOfferAsync(workspace.Id, live.Id, Rita, Start.AddSeconds(3), RoomForTwo, Ct);

        // 1 queued + 2 live = 3 > 2.
        Assert.Equal(CaseUpdateStatus.OverCapacity, accepted.Status);
        Assert.Equal(CaseUpdateStatus.Updated, (await store.AcceptOfferAsync(workspace.Id, live.Id, Rita, Start.AddSeconds(3), RoomForTwo with { Capacity = 3 }, Ct)).Status);
    }

    [Fact]
    public virtual async Task FallBackLiveCase_WhenItsLiveWaitEnded_QueuesItWithTheExpectedWaitAudited()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var live = await CreateAsync(store, NewCase(workspace.Id) with { LiveUntil = Start.AddSeconds(45) });
        Assert.Equal(Start.AddSeconds(45), await store.GetNextOfferDueAsync(Ct));
        Assert.Empty(await store.ListLiveCasesDueAsync(Start.AddSeconds(44), 10, Ct));

        var due = Assert.Single(await store.ListLiveCasesDueAsync(Start.AddSeconds(45), 10, Ct));
        var fellBack = await store.FallBackLiveCaseAsync(workspace.Id, due.Id, Start.AddSeconds(45), TimeSpan.FromSeconds(170.2), "median of 3 pick-ups", Ct);
        var again = await store.FallBackLiveCaseAsync(workspace.Id, due.Id, Start.AddSeconds(46), null, "x", Ct);

        Assert.Equal(CaseUpdateStatus.Updated, fellBack.Status);
        Assert.Equal(Start.AddSeconds(45), fellBack.Case!.LiveFallbackAt);
        Assert.Equal(CaseUpdateStatus.Conflict, again.Status);
        Assert.Null(await store.GetNextOfferDueAsync(Ct));
        var entry = (await store.GetCaseHistoryAsync(workspace.Id, live.Id, Ct))[^1];
        Assert.Equal(AuditData.CaseLiveFallback, entry.Action);
        using var data = JsonDocument.Parse(entry.Data);
        Assert.Equal(171, data.RootElement.GetProperty("expectedWaitSeconds").GetInt64());
        Assert.Equal("median of 3 pick-ups", data.RootElement.GetProperty("basis").GetString());
    }

    [Fact]
    public virtual async Task ListRecentPickups_ListsTheTeamsCasesTakenSinceNewestFirst()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var old = await CreateAsync(store, NewCase(workspace.Id, team: "billing"));
        var recent = await CreateAsync(store, NewCase(workspace.Id, team: "billing"));
        var otherTeam = await CreateAsync(store, NewCase(workspace.Id, team: "support"));
        await CreateAsync(store, NewCase(workspace.Id, team: "billing"));
        await store.ClaimCaseAsync(workspace.Id, old.Id, Rita, Start.AddMinutes(1), Ct);
        await store.ClaimCaseAsync(workspace.Id, recent.Id, Sam, Start.AddMinutes(5), Ct);
        await store.ClaimCaseAsync(workspace.Id, otherTeam.Id, Sam, Start.AddMinutes(5), Ct);

        var pickups = await store.ListRecentPickupsAsync(workspace.Id, "billing", Start.AddMinutes(2), 10, Ct);
        var all = await store.ListRecentPickupsAsync(workspace.Id, "billing", Start, 10, Ct);

        Assert.Equal([recent.Id], pickups.Select(static c => c.Id));
        Assert.Equal([recent.Id, old.Id], all.Select(static c => c.Id));
    }

    private static void AssertReplays(IReadOnlyList<Core.Audit.AuditEntry> history, HandoffCase stored)
    {
        var replay = new CaseAuditReplay();
        foreach (var entry in history)
        {
            Assert.Null(replay.Add(entry));
        }

        Assert.Empty(replay.Compare(stored));
    }
}
