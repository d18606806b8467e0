using System.Text.Json;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private static readonly WorkingHours BerlinWeekdays = new(
        "Europe/Berlin",
        [new WeeklyHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(12, 30)), new WeeklyHours(DayOfWeek.Monday, new TimeOnly(13, 30), new TimeOnly(17, 0))],
        [new DateOnly(2025, 12, 25)]);

    [Fact]
    public virtual async Task AddTeam_ThenGetAndList_ReturnsItWithItsDefaultsAndAuditsEverySetting()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        var result = await store.AddTeamAsync(new Team { WorkspaceId = workspace.Id, Name = "billing", DisplayName = "Billing" }, Alice, Ct);

        Assert.Equal(TeamResultStatus.Done, result.Status);
        var team = result.Team!;
        Assert.Equal(
            (AssignmentMode.Push, (WorkingHours?)null, TimeSpan.FromSeconds(30), (TimeSpan?)null, (string?)null, (string?)null, Start, Start),
            (team.Mode, team.WorkingHours, team.AcceptTimeout, team.IdleClaimTimeout, team.OverflowTeam, team.SupervisorId, team.CreatedAt, team.UpdatedAt));
        Assert.Equal(team, await store.GetTeamAsync(workspace.Id, "billing", Ct));
        Assert.Equal([team], await store.ListTeamsAsync(workspace.Id, Ct));
        var entry = Assert.Single(await AuditActionsAsync(store, "team.added"));
        Assert.Equal((workspace.Id, "billing", Alice.Id), (entry.WorkspaceId, entry.Subject, entry.ActorId));
        Assert.Equal("""{"displayName":"Billing","mode":"push","acceptTimeoutSeconds":30}""", entry.Data);
    }

    [Fact]
    public virtual async Task AddTeam_WithEverySetting_ReadsBackEqual()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var lead = await store.AddUserAsync(NewUser(workspace.Id, "lead@example.com", UserRole.Supervisor), Alice, Ct);
        await store.AddTeamAsync(new Team { WorkspaceId = workspace.Id, Name = "tier-2", DisplayName = "Tier 2" }, Alice, Ct);
        var billing = new Team
        {
            WorkspaceId = workspace.Id,
            Name = "billing",
            DisplayName = "Billing (EU)",
            Mode = AssignmentMode.Pull,
            WorkingHours = BerlinWeekdays,
            AcceptTimeout = TimeSpan.FromSeconds(45),
            IdleClaimTimeout = TimeSpan.FromMinutes(10),
            OverflowTeam = "tier-2",
            SupervisorId = lead!.Id,
        };

        var added = (await store.AddTeamAsync(billing, Alice, Ct)).Team;

        Assert.Equal(billing with { CreatedAt = Start, UpdatedAt = Start }, added);
        Assert.Equal(added, await store.GetTeamAsync(workspace.Id, "billing", Ct));
        Assert.Equal(["billing", "tier-2"], (await store.ListTeamsAsync(workspace.Id, Ct)).Select(t => t.Name));
    }

    [Fact]
    public virtual async Task AddTeam_NameTakenInTheWorkspace_IsRefused_ButAnotherWorkspaceMayUseIt()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        await store.AddTeamAsync(Team(workspace.Id, "billing"), Alice, Ct);

        Assert.Equal(TeamResultStatus.NameTaken, (await store.AddTeamAsync(Team(workspace.Id, "billing") with { DisplayName = "Again" }, Alice, Ct)).Status);
        Assert.Equal(TeamResultStatus.Done, (await store.AddTeamAsync(Team(other.Id, "billing"), Alice, Ct)).Status);

        Assert.Equal("Billing", (await store.GetTeamAsync(workspace.Id, "billing", Ct))!.DisplayName);
        Assert.Equal(2, (await AuditActionsAsync(store, "team.added")).Count);
    }

    [Fact]
    public virtual async Task AddTeam_OverflowOrSupervisorOfAnotherWorkspaceOrUnknown_IsRefusedAndAddsNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        await store.AddTeamAsync(Team(other.Id, "tier-2"), Alice, Ct);
        var stranger = await store.AddUserAsync(NewUser(other.Id, "stranger@example.com"), Alice, Ct);

        Assert.Equal(TeamResultStatus.UnknownOverflow, (await store.AddTeamAsync(Team(workspace.Id, "billing") with { OverflowTeam = "tier-2" }, Alice, Ct)).Status);
        Assert.Equal(TeamResultStatus.UnknownSupervisor, (await store.AddTeamAsync(Team(workspace.Id, "billing") with { SupervisorId = stranger!.Id }, Alice, Ct)).Status);
        Assert.Equal(TeamResultStatus.UnknownSupervisor, (await store.AddTeamAsync(Team(workspace.Id, "billing") with { SupervisorId = "usr_missing" }, Alice, Ct)).Status);

        Assert.Empty(await store.ListTeamsAsync(workspace.Id, Ct));
    }

    [Theory]
    [InlineData("Billing")]
    [InlineData("bill ing")]
    [InlineData("-billing")]
    [InlineData("")]
    public virtual async Task AddTeam_NameNotALowercaseToken_Throws(string name)
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AddTeamAsync(Team(workspace.Id, name), Alice, Ct));
    }

    [Fact]
    public virtual async Task AddTeam_OverflowToItselfOrATimeoutNotPositive_Throws()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AddTeamAsync(Team(workspace.Id, "billing") with { OverflowTeam = "billing" }, Alice, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AddTeamAsync(Team(workspace.Id, "billing") with { AcceptTimeout = TimeSpan.Zero }, Alice, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AddTeamAsync(Team(workspace.Id, "billing") with { IdleClaimTimeout = TimeSpan.FromSeconds(-1) }, Alice, Ct));
    }

    [Fact]
    public virtual async Task UpdateTeam_ReplacesTheSettings_KeepsCreatedAt_AndAuditsWhatChanged()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await store.AddTeamAsync(Team(workspace.Id, "tier-2"), Alice, Ct);
        await store.AddTeamAsync(Team(workspace.Id, "billing"), Alice, Ct);
        Time.Advance(TimeSpan.FromMinutes(5));

        var result = await store.UpdateTeamAsync(
            Team(workspace.Id, "billing") with { Mode = AssignmentMode.Pull, WorkingHours = BerlinWeekdays, AcceptTimeout = TimeSpan.FromSeconds(20), OverflowTeam = "tier-2" },
            Bob,
            Ct);

        Assert.Equal(TeamResultStatus.Done, result.Status);
        Assert.Equal((Start, Start.AddMinutes(5)), (result.Team!.CreatedAt, result.Team.UpdatedAt));
        Assert.Equal(result.Team, await store.GetTeamAsync(workspace.Id, "billing", Ct));
        var entry = Assert.Single(await AuditActionsAsync(store, "team.changed"));
        Assert.Equal(("billing", Bob.Id), (entry.Subject, entry.ActorId));
        using var data = JsonDocument.Parse(entry.Data);
        Assert.Equal(["mode", "workingHours", "acceptTimeout", "overflowTeam"], data.RootElement.GetProperty("changed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Europe/Berlin", data.RootElement.GetProperty("workingHours").GetProperty("timeZone").GetString());
        Assert.Equal(20, data.RootElement.GetProperty("acceptTimeoutSeconds").GetDouble());

        // Clearing the overflow team is a change too.
        await store.UpdateTeamAsync(result.Team with { OverflowTeam = null }, Bob, Ct);
        Assert.Equal("""{"changed":["overflowTeam"]}""", (await AuditActionsAsync(store, "team.changed"))[^1].Data);
    }

    [Fact]
    public virtual async Task UpdateTeam_ThatChangesNothing_ReturnsTheTeamAndWritesNoAuditEntry()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var added = (await store.AddTeamAsync(Team(workspace.Id, "billing") with { WorkingHours = BerlinWeekdays }, Alice, Ct)).Team!;
        Time.Advance(TimeSpan.FromMinutes(5));

        // Equal working hours in other list instances are the same hours.
        var same = await store.UpdateTeamAsync(added with { WorkingHours = BerlinWeekdays with { Week = [.. BerlinWeekdays.Week], Closures = [.. BerlinWeekdays.Closures] } }, Bob, Ct);

        Assert.Equal((TeamResultStatus.Done, added), (same.Status, same.Team));
        Assert.Empty(await AuditActionsAsync(store, "team.changed"));
    }

    [Fact]
    public virtual async Task Team_OfAnotherWorkspaceOrUnknown_IsNotFoundAndUnchanged()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var billing = (await store.AddTeamAsync(Team(workspace.Id, "billing"), Alice, Ct)).Team!;

        Assert.Null(await store.GetTeamAsync(other.Id, "billing", Ct));
        Assert.Empty(await store.ListTeamsAsync(other.Id, Ct));
        Assert.Equal(TeamResultStatus.NotFound, (await store.UpdateTeamAsync(Team(other.Id, "billing") with { DisplayName = "Mine" }, Bob, Ct)).Status);
        Assert.Equal(TeamResultStatus.NotFound, (await store.UpdateTeamAsync(Team(workspace.Id, "missing"), Bob, Ct)).Status);
        Assert.Equal(TeamResultStatus.NotFound, (await store.RemoveTeamAsync(other.Id, "billing", Bob, Ct)).Status);

        Assert.Equal(billing, await store.GetTeamAsync(workspace.Id, "billing", Ct));
        Assert.Empty(await AuditActionsAsync(store, "team.changed"));
        Assert.Empty(await AuditActionsAsync(store, "team.removed"));
    }

    [Fact]
    public virtual async Task RemoveTeam_TakesItOffItsMembersTeams_AndAuditsThem()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await store.AddTeamAsync(Team(workspace.Id, "billing"), Alice, Ct);
        await store.AddTeamAsync(Team(workspace.Id, "support"), Alice, Ct);
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com", teams: ["support", "billing"]), Alice, Ct);
        var max = await store.AddUserAsync(NewUser(workspace.Id, "max@example.com", teams: ["support"]), Alice, Ct);

        var removed = await store.RemoveTeamAsync(workspace.Id, "billing", Bob, Ct);

        Assert.Equal((TeamResultStatus.Done, "billing"), (removed.Status, removed.Team!.Name));
        Assert.Null(await store.GetTeamAsync(workspace.Id, "billing", Ct));
        Assert.Equal(["support"], (await store.GetUserAsync(workspace.Id, ada!.Id, Ct))!.Teams);
        Assert.Equal(["support"], (await store.GetUserAsync(workspace.Id, max!.Id, Ct))!.Teams);
        var entry = Assert.Single(await AuditActionsAsync(store, "team.removed"));
        Assert.Equal(("billing", Bob.Id, $$"""{"removedFrom":["{{ada.Id}}"]}"""), (entry.Subject, entry.ActorId, entry.Data));
        Assert.True(AuditChain.Verify(await store.ReadSealedAuditAsync(0, 1000, Ct)).Intact);
    }

    [Fact]
    public virtual async Task RemoveTeam_WhileAnotherTeamOverflowsToIt_IsInUseAndRemovesNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await store.AddTeamAsync(Team(workspace.Id, "tier-2"), Alice, Ct);
        await store.AddTeamAsync(Team(workspace.Id, "billing") with { OverflowTeam = "tier-2" }, Alice, Ct);
        await store.AddTeamAsync(Team(workspace.Id, "returns") with { OverflowTeam = "tier-2" }, Alice, Ct);

        var refused = await store.RemoveTeamAsync(workspace.Id, "tier-2", Bob, Ct);

        Assert.Equal(TeamResultStatus.InUse, refused.Status);
        Assert.Equal(["billing", "returns"], refused.OverflowFrom);
        Assert.NotNull(await store.GetTeamAsync(workspace.Id, "tier-2", Ct));
        Assert.Empty(await AuditActionsAsync(store, "team.removed"));
    }

    [Fact]
    public virtual async Task AddTeam_TenRacingAddsOfOneName_ExactlyOneWins()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(
            () => store.AddTeamAsync(Team(workspace.Id, "billing") with { DisplayName = $"Billing {i}" }, Alice, Ct), Ct)));

        var winner = Assert.Single(results, r => r.Status == TeamResultStatus.Done);
        Assert.All(results.Where(r => r != winner), r => Assert.Equal(TeamResultStatus.NameTaken, r.Status));
        Assert.Equal(winner.Team, Assert.Single(await store.ListTeamsAsync(workspace.Id, Ct)));
        Assert.Single(await AuditActionsAsync(store, "team.added"));
    }

    [Fact]
    public virtual async Task UpdateTeam_ConcurrentUpdates_EachIsAuditedOnceAndTheLastStands()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var added = (await store.AddTeamAsync(Team(workspace.Id, "billing"), Alice, Ct)).Team!;

        var results = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(
            () => store.UpdateTeamAsync(added with { AcceptTimeout = TimeSpan.FromSeconds(i) }, Bob, Ct), Ct)));

        Assert.All(results, r => Assert.Equal(TeamResultStatus.Done, r.Status));
        var changes = await AuditActionsAsync(store, "team.changed");
        Assert.Equal(20, changes.Count);
        using var last = JsonDocument.Parse(changes[^1].Data);
        var stored = await store.GetTeamAsync(workspace.Id, "billing", Ct);
        Assert.Equal(last.RootElement.GetProperty("acceptTimeoutSeconds").GetDouble(), stored!.AcceptTimeout.TotalSeconds);
        Assert.True(AuditChain.Verify(await store.ReadSealedAuditAsync(0, 1000, Ct)).Intact);
    }

    [Fact]
    public virtual async Task AddUser_WithARoutingProfile_ReadsItBack_AndAUserWithoutOneHasTheDefaults()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com") with { Skills = ["refunds", "tier_2"], Languages = ["en", "pt-br"], Capacity = 8 }, Alice, Ct);
        var max = await store.AddUserAsync(NewUser(workspace.Id, "max@example.com"), Alice, Ct);

        Assert.Equal(["refunds", "tier_2"], ada!.Skills);
        Assert.Equal(["en", "pt-br"], ada.Languages);
        Assert.Equal(8, ada.Capacity);
        AssertSameUser(ada, await store.GetUserAsync(workspace.Id, ada.Id, Ct));
        var stored = await store.GetUserAsync(workspace.Id, max!.Id, Ct);
        Assert.Equal((0, 0, 5), (stored!.Skills.Count, stored.Languages.Count, stored.Capacity));
        using var data = JsonDocument.Parse((await AuditActionsAsync(store, "user.added"))[0].Data);
        Assert.Equal(8, data.RootElement.GetProperty("capacity").GetInt32());
    }

    [Fact]
    public virtual async Task UpdateUser_RoutingProfile_ChangesAndIsAuditedByName()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);

        var changed = await store.UpdateUserAsync(workspace.Id, ada!.Id, new UserChanges { Skills = ["refunds"], Languages = ["en", "de"], Capacity = 4 }, Bob, Ct);
        var same = await store.UpdateUserAsync(workspace.Id, ada.Id, new UserChanges { Skills = ["refunds"], Capacity = 4 }, Bob, Ct);

        AssertSameUser(ada with { Skills = ["refunds"], Languages = ["en", "de"], Capacity = 4 }, changed);
        AssertSameUser(changed, same);
        Assert.Equal(
            """{"changed":["skills","languages","capacity"],"skills":["refunds"],"languages":["en","de"],"capacity":4}""",
            Assert.Single(await AuditActionsAsync(store, "user.changed")).Data);
    }

    [Fact]
    public virtual async Task UpdateUser_BadRoutingProfile_Throws()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.UpdateUserAsync(workspace.Id, ada!.Id, new UserChanges { Skills = ["Refunds"] }, Bob, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.UpdateUserAsync(workspace.Id, ada!.Id, new UserChanges { Languages = ["english"] }, Bob, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.UpdateUserAsync(workspace.Id, ada!.Id, new UserChanges { Capacity = 0 }, Bob, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.UpdateUserAsync(workspace.Id, ada!.Id, new UserChanges { Capacity = 101 }, Bob, Ct));
    }

    [Fact]
    public virtual async Task RoutingSettings_DefaultUntilSet_ThenStoredPerWorkspaceAndAuditedOnlyWhenChanged()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        Assert.Equal(new RoutingSettings(1, 3, TimeSpan.FromMinutes(2)), await store.GetRoutingSettingsAsync(workspace.Id, Ct));
        var settings = new RoutingSettings(2, 5, TimeSpan.FromMinutes(5));

        Assert.Equal(settings, await store.SetRoutingSettingsAsync(workspace.Id, settings, Alice, Ct));
        await store.SetRoutingSettingsAsync(workspace.Id, settings with { }, Alice, Ct);

        Assert.Equal(settings, await store.GetRoutingSettingsAsync(workspace.Id, Ct));
        Assert.Equal(RoutingSettings.Default, await store.GetRoutingSettingsAsync(other.Id, Ct));
        var entry = Assert.Single(await AuditActionsAsync(store, "routing.changed"));
        Assert.Equal("""{"queuedWeight":2,"liveWeight":5,"awayAfterSeconds":300}""", entry.Data);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SetRoutingSettingsAsync(workspace.Id, settings with { LiveWeight = 0 }, Alice, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SetRoutingSettingsAsync(workspace.Id, settings with { AwayAfter = TimeSpan.FromSeconds(5) }, Alice, Ct));
    }

    [Fact]
    public virtual async Task Presence_OfAPersonWhoNeverChose_IsOfflineAndUnseen()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);

        var presence = await store.GetPresenceAsync(workspace.Id, ada!.Id, Ct);

        Assert.Equal(new PersonPresence(workspace.Id, ada.Id, Presence.Offline, null, null), presence);
        Assert.Equal(Presence.Offline, presence!.EffectiveAt(Start, TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public virtual async Task SetPresence_IsAuditedOnlyWhenTheChoiceChanges_AndSeesThePerson()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);
        var ritaActor = new Actor(Actor.UserKind, ada!.Id, "Ada");

        var online = await store.SetPresenceAsync(workspace.Id, ada.Id, Presence.Online, ritaActor, Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        var again = await store.SetPresenceAsync(workspace.Id, ada.Id, Presence.Online, ritaActor, Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        var away = await store.SetPresenceAsync(workspace.Id, ada.Id, Presence.Away, ritaActor, Ct);

        Assert.Equal(new PersonPresence(workspace.Id, ada.Id, Presence.Online, Start, Start), online);
        Assert.Equal(new PersonPresence(workspace.Id, ada.Id, Presence.Online, Start, Start.AddMinutes(1)), again);
        Assert.Equal(new PersonPresence(workspace.Id, ada.Id, Presence.Away, Start.AddMinutes(2), Start.AddMinutes(2)), away);
        Assert.Equal(away, await store.GetPresenceAsync(workspace.Id, ada.Id, Ct));
        var entries = await AuditActionsAsync(store, "presence.changed");
        Assert.Equal(
            ["""{"presence":"online","previous":"offline"}""", """{"presence":"away","previous":"online"}"""],
            entries.Select(e => e.Data));
        Assert.All(entries, e => Assert.Equal((ada.Id, ada.Id), (e.Subject, e.ActorId)));
    }

    [Fact]
    public virtual async Task MarkPersonSeen_MovesLastSeenForwardOnly_WithoutAnAuditEntry()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);
        await store.SetPresenceAsync(workspace.Id, ada!.Id, Presence.Online, Alice, Ct);
        var entries = (await store.ReadSealedAuditAsync(0, 1000, Ct)).Count;

        Assert.True(await store.MarkPersonSeenAsync(workspace.Id, ada.Id, Start.AddMinutes(3), Ct));
        Assert.False(await store.MarkPersonSeenAsync(workspace.Id, ada.Id, Start.AddMinutes(1), Ct));

        var presence = await store.GetPresenceAsync(workspace.Id, ada.Id, Ct);
        Assert.Equal((Presence.Online, (DateTimeOffset?)Start, (DateTimeOffset?)Start.AddMinutes(3)), (presence!.Chosen, presence.ChosenAt, presence.LastSeenAt));
        Assert.Equal(entries, (await store.ReadSealedAuditAsync(0, 1000, Ct)).Count);
    }

    [Fact]
    public virtual async Task EffectivePresence_OnlineButUnseenForLongerThanAwayAfter_IsAway_AndAwayOrOfflineStayAsChosen()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);
        var max = await store.AddUserAsync(NewUser(workspace.Id, "max@example.com", name: "Max"), Alice, Ct);
        await store.SetPresenceAsync(workspace.Id, ada!.Id, Presence.Online, Alice, Ct);
        await store.SetPresenceAsync(workspace.Id, max!.Id, Presence.Offline, Alice, Ct);
        await store.MarkPersonSeenAsync(workspace.Id, ada.Id, Start.AddMinutes(1), Ct);
        await store.MarkPersonSeenAsync(workspace.Id, max.Id, Start.AddMinutes(1), Ct);
        var awayAfter = TimeSpan.FromMinutes(2);

        var people = await store.ListPresenceAsync(workspace.Id, Ct);

        Assert.Equal([ada.Id, max.Id], people.Select(p => p.UserId));
        Assert.Equal(Presence.Online, people[0].EffectiveAt(Start.AddMinutes(3), awayAfter));
        Assert.Equal(Presence.Away, people[0].EffectiveAt(Start.AddMinutes(3).AddTicks(1), awayAfter));
        Assert.Equal(Presence.Offline, people[1].EffectiveAt(Start.AddMinutes(1), awayAfter));
    }

    [Fact]
    public virtual async Task Presence_OfAnotherWorkspacesPersonOrUnknown_IsNotFoundAndUnchanged()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);

        Assert.Null(await store.SetPresenceAsync(other.Id, ada!.Id, Presence.Online, Bob, Ct));
        Assert.Null(await store.SetPresenceAsync(workspace.Id, "usr_missing", Presence.Online, Bob, Ct));
        Assert.False(await store.MarkPersonSeenAsync(other.Id, ada.Id, Start, Ct));
        Assert.Null(await store.GetPresenceAsync(other.Id, ada.Id, Ct));
        Assert.Empty(await store.ListPresenceAsync(other.Id, Ct));

        Assert.Equal(new PersonPresence(workspace.Id, ada.Id, Presence.Offline, null, null), await store.GetPresenceAsync(workspace.Id, ada.Id, Ct));
        Assert.Empty(await AuditActionsAsync(store, "presence.changed"));
    }

    [Fact]
    public virtual async Task UpdateUser_DisablingAnOnlinePerson_SetsThemOfflineInTheSameChange()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);
        await store.SetPresenceAsync(workspace.Id, ada!.Id, Presence.Online, Alice, Ct);
        Time.Advance(TimeSpan.FromMinutes(1));

        await store.UpdateUserAsync(workspace.Id, ada.Id, new UserChanges { Disabled = true }, Bob, Ct);
        await store.UpdateUserAsync(workspace.Id, ada.Id, new UserChanges { Disabled = false }, Bob, Ct);
        await store.UpdateUserAsync(workspace.Id, ada.Id, new UserChanges { Disabled = true }, Bob, Ct);

        var presence = await store.GetPresenceAsync(workspace.Id, ada.Id, Ct);
        Assert.Equal((Presence.Offline, (DateTimeOffset?)Start.AddMinutes(1)), (presence!.Chosen, presence.ChosenAt));
        var entries = (await store.ReadSealedAuditAsync(0, 1000, Ct)).Where(e => e.Action is "user.changed" or "presence.changed").Select(e => e.Action);
        Assert.Equal(["presence.changed", "user.changed", "presence.changed", "user.changed", "user.changed"], entries);
    }

    [Fact]
    public virtual async Task SetPresence_ConcurrentChoices_AuditExactlyTheChangesInOrder()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);
        Presence[] choices = [Presence.Online, Presence.Online, Presence.Away, Presence.Offline, Presence.Online, Presence.Away, Presence.Away, Presence.Offline];

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(
            () => store.SetPresenceAsync(workspace.Id, ada!.Id, choices[i % choices.Length], Bob, Ct), Ct)));

        // Whatever order the writes took, each entry's "previous" is the entry before's "presence": no change was lost or doubled.
        var previous = "offline";
        foreach (var entry in await AuditActionsAsync(store, "presence.changed"))
        {
            using var data = JsonDocument.Parse(entry.Data);
            Assert.Equal(previous, data.RootElement.GetProperty("previous").GetString());
            Assert.NotEqual(previous, previous = data.RootElement.GetProperty("presence").GetString()!);
        }

        Assert.Equal(previous, DbName((await store.GetPresenceAsync(workspace.Id, ada!.Id, Ct))!.Chosen));
        Assert.True(AuditChain.Verify(await store.ReadSealedAuditAsync(0, 1000, Ct)).Intact);
    }

    private static string DbName(Presence presence) => presence.ToString().ToLowerInvariant();

    private static Team Team(string workspaceId, string name) =>
        new() { WorkspaceId = workspaceId, Name = name, DisplayName = name.Length > 0 ? char.ToUpperInvariant(name[0]) + name[1..] : "Nameless" };
}
