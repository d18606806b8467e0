using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public virtual async Task ListCases_PageByPage_ReturnsEveryCaseOnceNewestFirst()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var created = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            created.Add((await CreateAsync(store, NewCase(workspace.Id))).Id);
        }

        var listed = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await store.ListCasesAsync(workspace.Id, new CaseQuery(Limit: 5, Cursor: cursor), Ct);
            Assert.InRange(page.Items.Count, 1, 5);
            listed.AddRange(page.Items.Select(c => c.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(created), listed);
        Assert.Equal(5, pages);
    }

    [Fact]
    public virtual async Task ListCases_WhenCasesArriveBetweenPages_NeitherRepeatsNorSkipsOlderCases()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var older = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            older.Add((await CreateAsync(store, NewCase(workspace.Id))).Id);
        }

        var first = await store.ListCasesAsync(workspace.Id, new CaseQuery(Limit: 3), Ct);
        await CreateAsync(store, NewCase(workspace.Id));
        var second = await store.ListCasesAsync(workspace.Id, new CaseQuery(Limit: 3, Cursor: first.NextCursor), Ct);

        Assert.Equal(Enumerable.Reverse(older), first.Items.Concat(second.Items).Select(c => c.Id));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public virtual async Task ListCases_ByStatusAndTeam_ReturnsOnlyMatchingCasesOfTheWorkspace()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("globex", Actor.System, Ct);
        var supportPending = await CreateAsync(store, NewCase(workspace.Id, team: "support"));
        var billingPending = await CreateAsync(store, NewCase(workspace.Id, team: "billing"));
        var supportApproved = await CreateAsync(store, NewCase(workspace.Id, status: CaseStatus.Approved, team: "support"));
        await CreateAsync(store, NewCase(other.Id, team: "support"));

        async Task<string[]> List(CaseQuery query) =>
            (await store.ListCasesAsync(workspace.Id, query, Ct)).Items.Select(c => c.Id).ToArray();

        Assert.Equal([supportApproved.Id, billingPending.Id, supportPending.Id], await List(new CaseQuery()));
        Assert.Equal([billingPending.Id, supportPending.Id], await List(new CaseQuery(Status: CaseStatus.Pending)));
        Assert.Equal([supportApproved.Id, supportPending.Id], await List(new CaseQuery(Team: "support")));
        Assert.Equal([supportPending.Id], await List(new CaseQuery(CaseStatus.Pending, "support")));
        Assert.Empty(await List(new CaseQuery(CaseStatus.Escalated)));
    }

    [Fact]
    public virtual async Task ListCases_LimitOutOfRange_IsClampedToOneToTwoHundred()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(store, NewCase(workspace.Id));
        }

        var zero = await store.ListCasesAsync(workspace.Id, new CaseQuery(Limit: 0), Ct);
        var huge = await store.ListCasesAsync(workspace.Id, new CaseQuery(Limit: 100_000), Ct);

        Assert.Single(zero.Items);
        Assert.NotNull(zero.NextCursor);
        Assert.Equal(3, huge.Items.Count);
        Assert.Null(huge.NextCursor);
    }

    [Fact]
    public virtual async Task ListCases_WithAForgedCursor_ThrowsArgumentException()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ListCasesAsync(workspace.Id, new CaseQuery(Cursor: "not a cursor!"), Ct));
    }

    [Fact]
    public virtual async Task ListCases_EmptyWorkspace_ReturnsAnEmptyLastPage()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        var page = await store.ListCasesAsync(workspace.Id, new CaseQuery(), Ct);

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }
}
