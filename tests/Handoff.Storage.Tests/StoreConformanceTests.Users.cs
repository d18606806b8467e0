using System.Text.Json;
using Handoff.Core.Audit;
using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private const string SecretHash = "AQAAAAIAAYagAAAAE-secret-hash";

    [Fact]
    public virtual async Task AddUser_ThenFindAndGet_ReturnsTheUserAsAdded()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        var user = await store.AddUserAsync(NewUser(workspace.Id, "Ada@Example.com", teams: ["support", "billing"]), Alice, Ct);

        Assert.NotNull(user);
        Assert.False(string.IsNullOrEmpty(user.Id));
        Assert.Equal(
            (workspace.Id, "Ada@Example.com", "Ada", UserRole.Reviewer, SecretHash, Start, (DateTimeOffset?)null),
            (user.WorkspaceId, user.Email, user.Name, user.Role, user.PasswordHash, user.CreatedAt, user.DisabledAt));
        Assert.Equal(["support", "billing"], user.Teams);
        AssertSameUser(user, await store.FindUserByEmailAsync("ada@example.COM", Ct));
        AssertSameUser(user, await store.GetUserAsync(workspace.Id, user.Id, Ct));
        Assert.Null(await store.FindUserByEmailAsync("bob@example.com", Ct));
    }

    [Fact]
    public virtual async Task AddUser_EmailTakenInAnotherCaseOrWorkspace_ReturnsNullAndAddsNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var first = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);

        Assert.Null(await store.AddUserAsync(NewUser(workspace.Id, "ADA@example.com", name: "Ada again"), Alice, Ct));
        Assert.Null(await store.AddUserAsync(NewUser(other.Id, "Ada@Example.Com"), Alice, Ct));

        Assert.Equal(1, await store.CountUsersAsync(Ct));
        AssertSameUser(first, await store.FindUserByEmailAsync("ada@example.com", Ct));
        Assert.Single(await AuditActionsAsync(store, "user.added"));
    }

    [Fact]
    public virtual async Task Email_WithLettersBeyondAscii_IsFoundAsGiven_FoldsAsciiOnly_AndIsNotTakenTwice()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var eva = await store.AddUserAsync(NewUser(workspace.Id, "ÉVA@Example.com"), Alice, Ct);

        AssertSameUser(eva!, await store.FindUserByEmailAsync("ÉVA@Example.com", Ct));
        AssertSameUser(eva!, await store.FindUserByEmailAsync("Éva@example.COM", Ct));
        // Only ASCII letters fold (as the unique index does), whatever the database's locale would do with "É".
        Assert.Null(await store.FindUserByEmailAsync("éva@example.com", Ct));
        Assert.Null(await store.AddUserAsync(NewUser(workspace.Id, "ÉVA@example.com", name: "Eva again"), Alice, Ct));
        Assert.Equal(1, await store.CountUsersAsync(Ct));
    }

    [Fact]
    public virtual async Task CountUsers_CountsEveryWorkspaceAndDisabledUsers()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        Assert.Equal(0, await store.CountUsersAsync(Ct));

        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);
        await store.AddUserAsync(NewUser(other.Id, "bob@example.com"), Alice, Ct);
        await store.UpdateUserAsync(workspace.Id, ada!.Id, new UserChanges { Disabled = true }, Alice, Ct);

        Assert.Equal(2, await store.CountUsersAsync(Ct));
    }

    [Fact]
    public virtual async Task AddFirstUser_WhenTheStoreHasNoUser_AddsAndAuditsIt()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        var first = await store.AddFirstUserAsync(NewUser(workspace.Id, "ada@example.com", UserRole.Admin), Actor.Cli("setup"), Ct);

        Assert.NotNull(first);
        Assert.Equal(UserRole.Admin, first.Role);
        var entry = Assert.Single(await AuditActionsAsync(store, "user.added"));
        Assert.Equal((workspace.Id, first.Id, "cli"), (entry.WorkspaceId, entry.Subject, entry.ActorKind));
    }

    [Fact]
    public virtual async Task AddFirstUser_WhenAUserExistsInAnyWorkspace_ReturnsNull()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        await store.AddUserAsync(NewUser(other.Id, "bob@example.com"), Alice, Ct);

        Assert.Null(await store.AddFirstUserAsync(NewUser(workspace.Id, "ada@example.com", UserRole.Admin), Alice, Ct));

        Assert.Null(await store.FindUserByEmailAsync("ada@example.com", Ct));
        Assert.Equal(1, await store.CountUsersAsync(Ct));
    }

    [Fact]
    public virtual async Task AddFirstUser_TenRacingCallers_ExactlyOneWins()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(
            () => store.AddFirstUserAsync(NewUser(workspace.Id, $"admin{i}@example.com", UserRole.Admin), Alice, Ct), Ct)));

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(1, await store.CountUsersAsync(Ct));
        AssertSameUser(winner, Assert.Single(await store.ListUsersAsync(workspace.Id, Ct)));
        Assert.Single(await AuditActionsAsync(store, "user.added"));
    }

    [Fact]
    public virtual async Task GetUser_FromAnotherWorkspaceOrUnknown_ReturnsNull()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);

        Assert.Null(await store.GetUserAsync(other.Id, ada!.Id, Ct));
        Assert.Null(await store.GetUserAsync(workspace.Id, "usr_missing", Ct));
    }

    [Fact]
    public virtual async Task ListUsers_ReturnsOnlyThatWorkspacesUsersOrderedByName()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        await store.AddUserAsync(NewUser(workspace.Id, "zoe@example.com", name: "Zoe"), Alice, Ct);
        await store.AddUserAsync(NewUser(other.Id, "bea@example.com", name: "Bea"), Alice, Ct);
        await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com", name: "Ada"), Alice, Ct);
        await store.AddUserAsync(NewUser(workspace.Id, "max@example.com", name: "Max"), Alice, Ct);

        Assert.Equal(["Ada", "Max", "Zoe"], (await store.ListUsersAsync(workspace.Id, Ct)).Select(u => u.Name));
        Assert.Equal(["Bea"], (await store.ListUsersAsync(other.Id, Ct)).Select(u => u.Name));
        Assert.Empty(await store.ListUsersAsync("ws_missing", Ct));
    }

    [Fact]
    public virtual async Task UpdateUser_AppliesTheChangesAndAuditsTheChangedFieldsWithoutTheHash()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com", teams: ["support"]), Alice, Ct);
        Time.Advance(TimeSpan.FromMinutes(3));

        var changed = await store.UpdateUserAsync(workspace.Id, ada!.Id, new UserChanges
        {
            Name = "Ada L.",
            Role = UserRole.Supervisor,
            Teams = ["support", "billing"],
            PasswordHash = "new-" + SecretHash,
            Disabled = true,
        }, Bob, Ct);

        Assert.NotNull(changed);
        Assert.Equal(
            ("Ada L.", UserRole.Supervisor, "new-" + SecretHash, (DateTimeOffset?)Start.AddMinutes(3), "ada@example.com", Start),
            (changed.Name, changed.Role, changed.PasswordHash, changed.DisabledAt, changed.Email, changed.CreatedAt));
        Assert.Equal(["support", "billing"], changed.Teams);
        AssertSameUser(changed, await store.GetUserAsync(workspace.Id, ada.Id, Ct));
        var entry = Assert.Single(await AuditActionsAsync(store, "user.changed"));
        Assert.Equal((workspace.Id, ada.Id, Bob.Id), (entry.WorkspaceId, entry.Subject, entry.ActorId));
        Assert.Equal(
            """{"changed":["name","role","teams","password","disabled"],"name":"Ada L.","role":"supervisor","teams":["support","billing"],"disabled":true}""",
            entry.Data);
    }

    [Fact]
    public virtual async Task UpdateUser_OnlyTheGivenFields_ChangeAndAreNamed()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com", teams: ["support"]), Alice, Ct);

        var changed = await store.UpdateUserAsync(workspace.Id, ada!.Id, new UserChanges { Role = UserRole.Admin, Name = "Ada" }, Bob, Ct);

        AssertSameUser(ada with { Role = UserRole.Admin }, changed);
        Assert.Equal("""{"changed":["role"],"role":"admin"}""", Assert.Single(await AuditActionsAsync(store, "user.changed")).Data);
    }

    [Fact]
    public virtual async Task UpdateUser_ThatChangesNothing_ReturnsTheUserAndWritesNoAuditEntry()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com", teams: ["support"]), Alice, Ct);

        var same = await store.UpdateUserAsync(workspace.Id, ada!.Id, new UserChanges { Name = "Ada", Teams = ["support"], Disabled = false }, Bob, Ct);

        AssertSameUser(ada, same);
        Assert.Empty(await AuditActionsAsync(store, "user.changed"));
    }

    [Fact]
    public virtual async Task UpdateUser_DisableThenEnable_SetsAndClearsDisabledAt()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);
        Time.Advance(TimeSpan.FromHours(1));

        var disabled = await store.UpdateUserAsync(workspace.Id, ada!.Id, new UserChanges { Disabled = true }, Alice, Ct);
        Time.Advance(TimeSpan.FromHours(1));
        var disabledAgain = await store.UpdateUserAsync(workspace.Id, ada.Id, new UserChanges { Disabled = true }, Alice, Ct);
        var enabled = await store.UpdateUserAsync(workspace.Id, ada.Id, new UserChanges { Disabled = false }, Alice, Ct);

        Assert.Equal(Start.AddHours(1), disabled!.DisabledAt);
        Assert.Equal(Start.AddHours(1), disabledAgain!.DisabledAt);
        Assert.Null(enabled!.DisabledAt);
        Assert.Equal(2, (await AuditActionsAsync(store, "user.changed")).Count);
    }

    [Fact]
    public virtual async Task UpdateUser_FromAnotherWorkspaceOrUnknown_ReturnsNullAndChangesNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var ada = await store.AddUserAsync(NewUser(workspace.Id, "ada@example.com"), Alice, Ct);

        Assert.Null(await store.UpdateUserAsync(other.Id, ada!.Id, new UserChanges { Role = UserRole.Admin }, Bob, Ct));
        Assert.Null(await store.UpdateUserAsync(workspace.Id, "usr_missing", new UserChanges { Role = UserRole.Admin }, Bob, Ct));

        AssertSameUser(ada, await store.GetUserAsync(workspace.Id, ada.Id, Ct));
        Assert.Empty(await AuditActionsAsync(store, "user.changed"));
    }

    [Fact]
    public virtual async Task UserAudit_NeverHoldsThePasswordHash_AndTheChainVerifies()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await store.AddFirstUserAsync(NewUser(workspace.Id, "ada@example.com", UserRole.Admin), Actor.Cli("setup"), Ct);
        var bob = await store.AddUserAsync(NewUser(workspace.Id, "bob@example.com", name: "Bob"), Alice, Ct);
        await store.UpdateUserAsync(workspace.Id, bob!.Id, new UserChanges { PasswordHash = "other-" + SecretHash }, Alice, Ct);
        await CreateAsync(store, NewCase(workspace.Id));

        var entries = await store.ReadSealedAuditAsync(0, 100, Ct);

        Assert.Equal(["workspace.created", "user.added", "user.added", "user.changed", "case.created"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.DoesNotContain("secret-hash", e.Data, StringComparison.Ordinal));
        Assert.Equal("""{"changed":["password"]}""", entries[3].Data);
        Assert.Equal(AuditVerification.Success(entries.Count), AuditChain.Verify(entries));
    }

    protected static NewUser NewUser(
        string workspaceId, string email, UserRole role = UserRole.Reviewer, string name = "Ada", IReadOnlyList<string>? teams = null) =>
        new(workspaceId, email, name, role, teams ?? ["support"], SecretHash);

    /// <summary>Users hold their teams, skills and languages in lists, which compares by reference.</summary>
    protected static void AssertSameUser(User? expected, User? actual)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected with { Teams = [], Skills = [], Languages = [] }, actual with { Teams = [], Skills = [], Languages = [] });
        Assert.Equal(expected.Teams, actual.Teams);
        Assert.Equal(expected.Skills, actual.Skills);
        Assert.Equal(expected.Languages, actual.Languages);
    }

    private static async Task<List<AuditEntry>> AuditActionsAsync(IHandoffStore store, string action) =>
        [.. (await store.ReadSealedAuditAsync(0, 10_000, Ct)).Where(e => e.Action == action)];
}
