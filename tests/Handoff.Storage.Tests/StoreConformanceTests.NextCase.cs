using System.Text.Json;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Routing;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task TakeNextCase_TakesThePersonsPullTeamsCasesByPriorityThenSlaThenAge_AuditedAsTheirClaim()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await AddTeamsAsync(store, workspace.Id, ("billing", AssignmentMode.Pull), ("support", AssignmentMode.Push), ("legal", AssignmentMode.Pull));
        var ada = await AddPersonAsync(store, workspace.Id, "ada@example.com", ["billing", "support"]);
        var oldest = await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.High));
        Time.Advance(TimeSpan.FromMinutes(1));
        var withSla = await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.High, sla: TimeSpan.FromHours(4)));
        Time.Advance(TimeSpan.FromMinutes(1));
        var urgent = await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.Urgent));
        var normal = await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.Normal));
        // A push team's case is offered, never taken; another team's case is not hers.
        await CreateAsync(store, Waiting(workspace.Id, "support", Priority.Urgent));
        await CreateAsync(store, Waiting(workspace.Id, "legal", Priority.Urgent));

        var taken = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var next = await store.TakeNextCaseAsync(workspace.Id, ada.Id, null, Holder(ada), Start.AddMinutes(5), Ct);
            Assert.Equal(NextCaseStatus.Taken, next.Status);
            Assert.Equal((CaseStatus.Assigned, Holder(ada), (DateTimeOffset?)Start.AddMinutes(5)), (next.Case!.Status, next.Case.AssignedTo, next.Case.AssignedAt));
            taken.Add(next.Case.Id);
        }

        Assert.Equal([urgent.Id, withSla.Id, oldest.Id, normal.Id], taken);
        Assert.Equal(NextCaseStatus.NothingWaiting, (await store.TakeNextCaseAsync(workspace.Id, ada.Id, null, Holder(ada), Start.AddMinutes(5), Ct)).Status);
        var stored = await store.GetCaseAsync(workspace.Id, urgent.Id, Ct);
        var history = await store.GetCaseHistoryAsync(workspace.Id, urgent.Id, Ct);
        var claim = history[^1];
        Assert.Equal((AuditData.CaseClaimed, Actor.UserKind, ada.Id), (claim.Action, claim.ActorKind, claim.ActorId));
        Assert.Equal("""{"status":"assigned","next":true}""", claim.Data);
        AssertReplays(history, stored!);
        // The claim is a person's like any other: it is renewed and released by the same rules.
        Assert.Equal(Start.AddMinutes(5), await store.GetOldestClaimSeenAsync(Ct));
    }

    [Fact]
    public virtual async Task TakeNextCase_SkipsCasesNeedingWhatThePersonLacks_RingingForSomeoneElse_OrOfAnotherTeamWhenOneIsNamed()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await AddTeamsAsync(store, workspace.Id, ("billing", AssignmentMode.Pull), ("tier-2", AssignmentMode.Pull));
        var ada = await AddPersonAsync(store, workspace.Id, "ada@example.com", ["billing", "tier-2"], skills: ["refunds"], languages: ["en"]);
        await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.Urgent, skills: ["legal"]));
        await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.Urgent, language: "fr"));
        var ringing = await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.Urgent));
        await store.OfferCaseAsync(workspace.Id, ringing.Id, Sam, Start, TimeSpan.FromSeconds(30), Ct);
        var tierTwo = await CreateAsync(store, Waiting(workspace.Id, "tier-2", Priority.Urgent));
        var fits = await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.Low, skills: ["refunds"], language: "EN"));

        var inBilling = await store.TakeNextCaseAsync(workspace.Id, ada.Id, "billing", Holder(ada), Start.AddSeconds(10), Ct);
        var inTierTwo = await store.TakeNextCaseAsync(workspace.Id, ada.Id, null, Holder(ada), Start.AddSeconds(10), Ct);
        // Once the offer lapsed (even before the worker has ended it), the case waits for whoever asks.
        var afterLapse = await store.TakeNextCaseAsync(workspace.Id, ada.Id, null, Holder(ada), Start.AddSeconds(30), Ct);

        Assert.Equal(fits.Id, inBilling.Case?.Id);
        Assert.Equal(tierTwo.Id, inTierTwo.Case?.Id);
        Assert.Equal((ringing.Id, (CaseOffer?)null), (afterLapse.Case?.Id, afterLapse.Case?.Offer));
        Assert.Equal(NextCaseStatus.NothingWaiting, (await store.TakeNextCaseAsync(workspace.Id, ada.Id, null, Holder(ada), Start.AddMinutes(1), Ct)).Status);
    }

    [Fact]
    public virtual async Task TakeNextCase_CountsTheLoadHeld_WithALiveCaseWeighingMore_AndSaysWhenThePersonIsFull()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await AddTeamsAsync(store, workspace.Id, ("billing", AssignmentMode.Pull));
        var ada = await AddPersonAsync(store, workspace.Id, "ada@example.com", ["billing"], capacity: 3);
        var held = await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.Low));
        await store.ClaimCaseAsync(workspace.Id, held.Id, Holder(ada), Start, Ct);
        // A live conversation weighs 3 (the default weights): with one queued case held it does not fit in 3.
        var live = await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.Urgent) with { LiveUntil = Start.AddMinutes(5) });
        var queued = await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.Normal));

        var first = await store.TakeNextCaseAsync(workspace.Id, ada.Id, null, Holder(ada), Start, Ct);
        var full = await store.TakeNextCaseAsync(workspace.Id, ada.Id, null, Holder(ada), Start, Ct);

        Assert.Equal((NextCaseStatus.Taken, queued.Id), (first.Status, first.Case?.Id));
        Assert.Equal((NextCaseStatus.OverCapacity, (HandoffCase?)null), (full.Status, full.Case));
        AssertSameCase(live, await store.GetCaseAsync(workspace.Id, live.Id, Ct));
        await store.ReleaseCaseAsync(workspace.Id, held.Id, Holder(ada), Start, Ct);
        await store.ReleaseCaseAsync(workspace.Id, queued.Id, Holder(ada), Start, Ct);
        Assert.Equal(live.Id, (await store.TakeNextCaseAsync(workspace.Id, ada.Id, null, Holder(ada), Start, Ct)).Case?.Id);
    }

    [Fact]
    public virtual async Task TakeNextCase_ForAPersonOfAnotherWorkspaceOrDisabled_IsPersonNotFound_AndAKeyAskingIsNamed()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.Cli("ops"), Ct);
        await AddTeamsAsync(store, workspace.Id, ("billing", AssignmentMode.Pull));
        var ada = await AddPersonAsync(store, workspace.Id, "ada@example.com", ["billing"]);
        var gone = await AddPersonAsync(store, workspace.Id, "gone@example.com", ["billing"]);
        await store.UpdateUserAsync(workspace.Id, gone.Id, new UserChanges { Disabled = true }, Alice, Ct);
        var created = await CreateAsync(store, Waiting(workspace.Id, "billing", Priority.Normal));

        Assert.Equal(NextCaseStatus.PersonNotFound, (await store.TakeNextCaseAsync(other.Id, ada.Id, null, Alice, Start, Ct)).Status);
        Assert.Equal(NextCaseStatus.PersonNotFound, (await store.TakeNextCaseAsync(workspace.Id, gone.Id, null, Alice, Start, Ct)).Status);
        Assert.Equal(NextCaseStatus.PersonNotFound, (await store.TakeNextCaseAsync(workspace.Id, "usr_nobody", null, Alice, Start, Ct)).Status);
        var taken = await store.TakeNextCaseAsync(workspace.Id, ada.Id, null, Alice, Start, Ct);

        Assert.Equal((created.Id, Holder(ada)), (taken.Case?.Id, taken.Case?.AssignedTo));
        var claim = (await store.GetCaseHistoryAsync(workspace.Id, created.Id, Ct))[^1];
        Assert.Equal(ada.Id, claim.ActorId);
        using var data = JsonDocument.Parse(claim.Data);
        Assert.Equal(Alice.Id, data.RootElement.GetProperty("requestedBy").GetProperty("id").GetString());
    }

    [Fact]
    public virtual async Task TakeNextCase_ManyPeopleAtOnce_GiveEachCaseToOnePerson_AndNobodyGoesOverCapacity()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await AddTeamsAsync(store, workspace.Id, ("billing", AssignmentMode.Pull));
        var people = new List<User>();
        for (var i = 0; i < 6; i++)
        {
            people.Add(await AddPersonAsync(store, workspace.Id, $"p{i}@example.com", ["billing"], capacity: 2));
        }

        var cases = new List<HandoffCase>();
        for (var i = 0; i < 9; i++)
        {
            cases.Add(await CreateAsync(store, Waiting(workspace.Id, "billing", (Priority)(i % 4))));
        }

        // Four presses each, all at once: 24 asks for 9 cases and 12 units of capacity.
        var results = await Task.WhenAll(people.SelectMany(p => Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => store.TakeNextCaseAsync(workspace.Id, p.Id, null, Holder(p), Start, Ct), Ct))));

        var taken = results.Where(r => r.Status == NextCaseStatus.Taken).Select(r => r.Case!).ToList();
        Assert.Equal(cases.Count, taken.Count);
        Assert.Equal(cases.Select(c => c.Id).Order(StringComparer.Ordinal), taken.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(results, r => r.Status == NextCaseStatus.PersonNotFound);
        foreach (var c in cases)
        {
            var stored = await store.GetCaseAsync(workspace.Id, c.Id, Ct);
            Assert.Equal(taken.Single(t => t.Id == c.Id).AssignedTo, stored!.AssignedTo);
        }

        Assert.All(taken.GroupBy(c => c.AssignedTo!.Id), held => Assert.True(held.Count() <= 2, $"{held.Key} holds {held.Count()}"));
        var audit = await store.ReadSealedAuditAsync(0, 10_000, Ct);
        Assert.True(AuditChain.Verify(audit).Intact);
        Assert.Equal(cases.Count, audit.Count(e => e.Action == AuditData.CaseClaimed));
    }

    private static Actor Holder(User person) => new(Actor.UserKind, person.Id, person.Name);

    private static Team PullTeam(string workspaceId, string name) =>
        new() { WorkspaceId = workspaceId, Name = name, DisplayName = name, Mode = AssignmentMode.Pull };

    private static async Task AddTeamsAsync(IHandoffStore store, string workspaceId, params (string Name, AssignmentMode Mode)[] teams)
    {
        foreach (var (name, mode) in teams)
        {
            Assert.Equal(TeamResultStatus.Done, (await store.AddTeamAsync(PullTeam(workspaceId, name) with { Mode = mode }, Alice, Ct)).Status);
        }
    }

    private static async Task<User> AddPersonAsync(
        IHandoffStore store, string workspaceId, string email, IReadOnlyList<string> teams,
        IReadOnlyList<string>? skills = null, IReadOnlyList<string>? languages = null, int capacity = User.DefaultCapacity) =>
        (await store.AddUserAsync(NewUser(workspaceId, email, teams: teams, name: email.Split('@')[0]) with
        {
            Skills = skills ?? [],
            Languages = languages ?? [],
            Capacity = capacity,
        }, Alice, Ct))!;

    /// <summary>A case waiting for a person of <paramref name="team"/>, with what its policy asked of them and its SLA.</summary>
    private HandoffCase Waiting(
        string workspaceId, string team, Priority priority, TimeSpan? sla = null, IReadOnlyList<string>? skills = null, string? language = null)
    {
        var c = NewCase(workspaceId, team: team);
        var routing = new RoutingRequirements(skills ?? [], language, HandoffMode.Queue, sla, 0.8, [], TimeSpan.FromMinutes(1), new ApprovalRule(1, null));
        // As the server submits it: the SLA planned once, around the clock here.
        return c with
        {
            Evaluation = c.Evaluation with { Priority = priority, Routing = routing },
            Sla = SlaLadder.Plan(routing, WorkingClock.AroundTheClock, c.CreatedAt),
        };
    }
}
