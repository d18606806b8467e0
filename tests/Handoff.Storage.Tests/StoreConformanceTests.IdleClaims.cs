using System.Text.Json;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task ReleaseUnseenClaims_UsesEachTeamsIdleTimeout_ShorterOrLongerThanTheDefault()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var timeouts = new IdleClaimTimeouts(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30));
        await store.AddTeamAsync(PullTeam(workspace.Id, "fast") with { IdleClaimTimeout = TimeSpan.FromMinutes(1) }, Alice, Ct);
        await store.AddTeamAsync(PullTeam(workspace.Id, "slow") with { IdleClaimTimeout = TimeSpan.FromMinutes(10) }, Alice, Ct);
        var fast = await CreateAsync(store, NewCase(workspace.Id, team: "fast"));
        var slow = await CreateAsync(store, NewCase(workspace.Id, team: "slow"));
        // "support" is no team of the workspace: the server's default applies.
        var plain = await CreateAsync(store, NewCase(workspace.Id));
        foreach (var c in new[] { fast, slow, plain })
        {
            await store.ClaimCaseAsync(workspace.Id, c.Id, Rita, Start, Ct);
        }

        Assert.Equal(Start.AddMinutes(1), await store.GetNextIdleClaimAsync(timeouts, Ct));
        Assert.Empty(await store.ReleaseUnseenClaimsAsync(Start.AddSeconds(59), timeouts, 10, Ct));
        Assert.Equal([fast.Id], (await store.ReleaseUnseenClaimsAsync(Start.AddMinutes(1), timeouts, 10, Ct)).Select(c => c.Id));
        Assert.Equal(Start.AddMinutes(2), await store.GetNextIdleClaimAsync(timeouts, Ct));
        Assert.Equal([plain.Id], (await store.ReleaseUnseenClaimsAsync(Start.AddMinutes(2), timeouts, 10, Ct)).Select(c => c.Id));
        Assert.Equal(Start.AddMinutes(10), await store.GetNextIdleClaimAsync(timeouts, Ct));
        Assert.Empty(await store.ReleaseUnseenClaimsAsync(Start.AddMinutes(9), timeouts, 10, Ct));
        Assert.Equal([slow.Id], (await store.ReleaseUnseenClaimsAsync(Start.AddMinutes(10), timeouts, 10, Ct)).Select(c => c.Id));
        Assert.Null(await store.GetNextIdleClaimAsync(timeouts, Ct));
        using var data = JsonDocument.Parse((await store.GetCaseHistoryAsync(workspace.Id, fast.Id, Ct))[^1].Data);
        Assert.Equal(60, data.RootElement.GetProperty("idleTimeoutSeconds").GetDouble());
    }

    [Fact]
    public virtual async Task ReleaseUnseenClaims_RenewedInTime_KeepsTheClaim_AndATeamTimeoutBelowTheShortestCountsAsTheShortest()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var timeouts = new IdleClaimTimeouts(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1));
        await store.AddTeamAsync(PullTeam(workspace.Id, "hasty") with { IdleClaimTimeout = TimeSpan.FromSeconds(5) }, Alice, Ct);
        var created = await CreateAsync(store, NewCase(workspace.Id, team: "hasty"));
        await store.ClaimCaseAsync(workspace.Id, created.Id, Rita, Start, Ct);

        Assert.Equal(Start.AddMinutes(1), await store.GetNextIdleClaimAsync(timeouts, Ct));
        Assert.Empty(await store.ReleaseUnseenClaimsAsync(Start.AddSeconds(30), timeouts, 10, Ct));
        await store.RenewClaimsAsync(workspace.Id, Rita.Id, Start.AddSeconds(50), Ct);
        Assert.Empty(await store.ReleaseUnseenClaimsAsync(Start.AddMinutes(1), timeouts, 10, Ct));
        Assert.Equal(Start.AddSeconds(110), await store.GetNextIdleClaimAsync(timeouts, Ct));
        Assert.Single(await store.ReleaseUnseenClaimsAsync(Start.AddSeconds(110), timeouts, 10, Ct));
    }
}
