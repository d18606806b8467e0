using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task EnsureWorkspace_Twice_ReturnsTheSameWorkspaceAndAuditsOnce()
    {
        var store = await CreateStoreAsync();

        var first = await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await store.EnsureWorkspaceAsync("acme", Actor.Cli("ops"), Ct);

        Assert.Equal(first, second);
        Assert.Equal(Start, first.CreatedAt);
        Assert.Equal(first, await store.FindWorkspaceAsync("acme", Ct));
        var audit = await store.ReadSealedAuditAsync(0, 100, Ct);
        var entry = Assert.Single(audit);
        Assert.Equal(("workspace.created", first.Id, first.Id), (entry.Action, entry.Subject, entry.WorkspaceId));
    }

    [Fact]
    public virtual async Task EnsureWorkspace_DifferentNames_CreatesDifferentWorkspaces()
    {
        var store = await CreateStoreAsync();

        var acme = await store.EnsureWorkspaceAsync("acme", Actor.System, Ct);
        var globex = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);

        Assert.NotEqual(acme.Id, globex.Id);
    }

    [Fact]
    public virtual async Task FindWorkspace_Unknown_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.FindWorkspaceAsync("nobody", Ct));
    }

    [Fact]
    public virtual async Task AddApiKey_ThenFindByHash_ReturnsTheKey()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        var key = await store.AddApiKeyAsync(new NewApiKey(workspace.Id, "support bot", ApiKeyRole.Agent, "hash-1", Start), Alice, Ct);

        Assert.Equal(new ApiKey(key.Id, workspace.Id, "support bot", ApiKeyRole.Agent, "hash-1", Start, null), key);
        Assert.Equal(key, await store.FindApiKeyByHashAsync("hash-1", Ct));
        Assert.Null(await store.FindApiKeyByHashAsync("hash-2", Ct));
    }

    [Fact]
    public virtual async Task FindApiKeyByHash_WhenRevoked_ReturnsNull()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var key = await store.AddApiKeyAsync(new NewApiKey(workspace.Id, "old", ApiKeyRole.Admin, "hash-1", Start), Alice, Ct);

        Assert.True(await store.RevokeApiKeyAsync(workspace.Id, key.Id, Alice, Ct));

        Assert.Null(await store.FindApiKeyByHashAsync("hash-1", Ct));
        Assert.False(await store.RevokeApiKeyAsync(workspace.Id, key.Id, Alice, Ct));
    }

    [Fact]
    public virtual async Task RevokeApiKey_FromAnotherWorkspace_ChangesNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var key = await store.AddApiKeyAsync(new NewApiKey(workspace.Id, "bot", ApiKeyRole.Agent, "hash-1", Start), Alice, Ct);

        Assert.False(await store.RevokeApiKeyAsync(other.Id, key.Id, Alice, Ct));

        Assert.Equal(key, await store.FindApiKeyByHashAsync("hash-1", Ct));
    }

    [Fact]
    public virtual async Task PublishPolicy_IncrementsVersionPerWorkspace_AndGetsEachVersion()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);

        var v1 = await store.PublishPolicyAsync(workspace.Id, "rules: []", Alice, Ct);
        Time.Advance(TimeSpan.FromHours(1));
        var v2 = await store.PublishPolicyAsync(workspace.Id, "rules: [x]", Bob, Ct);
        var otherV1 = await store.PublishPolicyAsync(other.Id, "rules: [y]", Bob, Ct);

        Assert.Equal(new StoredPolicy(workspace.Id, 1, "rules: []", Start, Alice.Name), v1);
        Assert.Equal(new StoredPolicy(workspace.Id, 2, "rules: [x]", Start.AddHours(1), Bob.Name), v2);
        Assert.Equal(1, otherV1.Version);
        Assert.Equal(v2, await store.GetPolicyAsync(workspace.Id, cancellationToken: Ct));
        Assert.Equal(v1, await store.GetPolicyAsync(workspace.Id, 1, Ct));
        Assert.Null(await store.GetPolicyAsync(workspace.Id, 3, Ct));
    }

    [Fact]
    public virtual async Task PublishPolicy_OnlyIfChanged_WritesOnceWhenRacing_AndAgainOnlyForANewSource()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.PublishPolicyAsync(workspace.Id, "rules: []", Alice, Ct, onlyIfChanged: true)));
        var same = await store.PublishPolicyAsync(workspace.Id, "rules: []", Bob, Ct, onlyIfChanged: true);
        var changed = await store.PublishPolicyAsync(workspace.Id, "rules: [x]", Bob, Ct, onlyIfChanged: true);

        Assert.All(racing, p => Assert.Equal(1, p.Version));
        Assert.Equal(racing[0], same);
        Assert.Equal(2, changed.Version);
        Assert.Equal(2, (await store.ListPoliciesAsync(workspace.Id, Ct)).Count);
        Assert.Equal(2, (await store.ReadSealedAuditAsync(0, 100, Ct)).Count(e => e.Action == "policy.published"));
    }

    [Fact]
    public virtual async Task GetPolicy_NeverPublished_ReturnsNull()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        Assert.Null(await store.GetPolicyAsync(workspace.Id, cancellationToken: Ct));
    }

    [Fact]
    public virtual async Task GetAutonomy_NeverSet_IsEnabled()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        Assert.Equal(new AutonomyState(true, null, null, null), await store.GetAutonomyAsync(workspace.Id, Ct));
    }

    [Fact]
    public virtual async Task SetAutonomy_ThenGet_ReturnsTheLatestState()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        await store.SetAutonomyAsync(workspace.Id, false, "incident 42", Alice, Ct);
        Time.Advance(TimeSpan.FromMinutes(5));
        var enabled = await store.SetAutonomyAsync(workspace.Id, true, null, Bob, Ct);

        Assert.Equal(new AutonomyState(true, null, Bob.Name, Start.AddMinutes(5)), enabled);
        Assert.Equal(enabled, await store.GetAutonomyAsync(workspace.Id, Ct));
    }
}
