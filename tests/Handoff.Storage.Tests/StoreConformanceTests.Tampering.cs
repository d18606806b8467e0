using Handoff.Core.Cases;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    /// <summary>
    /// Runs <paramref name="sql"/> straight on the database of the store <see cref="CreateStoreAsync"/> made last,
    /// after dropping the audit log's append-only triggers: what someone with the database in hand can do.
    /// </summary>
    protected abstract void Tamper(string sql);

    [Fact]
    public virtual async Task ReadAudit_AnEntryWhoseTimeIsNotATime_ThrowsNamingTheEntry()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        await store.PublishPolicyAsync(workspace.Id, "rules: []", Alice, Ct);
        await store.SealAllAsync(Ct);
        Tamper("UPDATE audit SET at = 'yesterday' WHERE seq = 2");

        var e = await Assert.ThrowsAsync<BrokenRecordException>(() => store.ReadAuditAsync(0, 100, Ct));

        Assert.Equal(2, e.Sequence);
        Assert.Equal("entry 2 is broken: its time 'yesterday' is not a time", e.Message);
    }

    [Fact]
    public virtual async Task ReadCases_PagesThroughEveryWorkspaceInIdOrder()
    {
        var (store, acme) = await CreateStoreWithWorkspaceAsync("acme");
        var globex = await store.EnsureWorkspaceAsync("globex", Actor.Cli("ops"), Ct);
        var created = new List<HandoffCase>();
        foreach (var workspaceId in new[] { acme.Id, globex.Id, acme.Id })
        {
            created.Add(await CreateAsync(store, NewCase(workspaceId)));
        }

        var first = await store.ReadCasesAsync(null, 2, Ct);
        var rest = await store.ReadCasesAsync(first[^1].Id, 2, Ct);

        Assert.Equal(created.Select(c => c.Id).Order(StringComparer.Ordinal), first.Concat(rest).Select(c => c.Id));
        AssertSameCase(created.Single(c => c.Id == first[0].Id), first[0]);
    }

    [Fact]
    public virtual async Task ReadCases_ADocumentThatIsNotACase_ThrowsNamingTheCase()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var c = await CreateAsync(store, NewCase(workspace.Id));
        Tamper($"UPDATE cases SET document = '[]' WHERE id = '{c.Id}'");

        var e = await Assert.ThrowsAsync<BrokenRecordException>(() => store.ReadCasesAsync(null, 10, Ct));

        Assert.StartsWith($"case {c.Id} is broken: its document is not a case", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status = 'approved'", "its status column says 'approved' but its document says 'pending'")]
    [InlineData("priority = 3", "its priority column says '3' but its document says '2'")]
    [InlineData("assigned_to_id = 'u_mallory'", "its assigned_to_id column says 'u_mallory' but its document says 'null'")]
    public virtual async Task ReadCases_AColumnThatDisagreesWithTheDocument_ThrowsNamingTheCaseAndColumn(string change, string problem)
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var c = await CreateAsync(store, NewCase(workspace.Id));
        Tamper($"UPDATE cases SET {change} WHERE id = '{c.Id}'");

        var e = await Assert.ThrowsAsync<BrokenRecordException>(() => store.ReadCasesAsync(null, 10, Ct));

        Assert.Equal(c.Id, e.CaseId);
        Assert.Equal($"case {c.Id} is broken: {problem}", e.Message);
    }
}
