using System.Data.Common;
using System.Globalization;
using Handoff.Storage.Relational;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    // A write's statements whose results it does not read are held and sent together (on PostgreSQL, in one round
    // trip): before anything the write reads, and before the write ends, so that a failure is still its own.
    [Fact]
    public async Task HeldStatements_AreSentBeforeTheWriteReads()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var first = NewCase(workspace.Id);
        var second = NewCase(workspace.Id);
        await store.CreateCaseAsync(first, Ct);
        await store.CreateCaseAsync(second, Ct);
        var writer = ((RelationalHandoffStore)store).Writer;

        var seen = await writer.RunAsync(w =>
        {
            // The same text twice (SQLite hands out the same command object for it), and a second statement.
            w.Later("UPDATE cases SET team = @team WHERE id = @id").Bind("@team", "billing").Bind("@id", first.Id);
            w.Later("UPDATE cases SET team = @team WHERE id = @id").Bind("@team", "sales").Bind("@id", second.Id);
            w.Later("UPDATE cases SET priority = @priority WHERE id = @id").Bind("@priority", 0).Bind("@id", first.Id);
            return (Row(w, first.Id), Row(w, second.Id));
        }, Ct);

        Assert.Equal((("billing", 0), ("sales", 2)), seen);
    }

    [Fact]
    public async Task HeldStatements_OfAWriteThatFails_FailItAlone_AndNoneOfThemStay()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var c = NewCase(workspace.Id);
        await store.CreateCaseAsync(c, Ct);
        var writer = ((RelationalHandoffStore)store).Writer;

        // A held statement that fails: the failure surfaces when the write's work returns, as the write's own.
        await Assert.ThrowsAnyAsync<DbException>(() => writer.RunAsync(w =>
        {
            w.Later("UPDATE cases SET team = @team WHERE id = @id").Bind("@team", "lost").Bind("@id", c.Id);
            w.Later("UPDATE no_such_table SET x = 1");
            return 0;
        }, Ct));

        // A write that throws after holding a statement: the statement goes with it, not into the next write.
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.RunAsync<int>(w =>
        {
            w.Later("UPDATE cases SET team = @team WHERE id = @id").Bind("@team", "leaked").Bind("@id", c.Id);
            throw new InvalidOperationException("The write gives up.");
        }, Ct));
        Assert.Equal(("support", 2), await writer.RunAsync(w => Row(w, c.Id), Ct));

        // In one batch (the writer is held while they queue), a failing write among others: it fails alone, and the
        // others — before and after it — commit.
        using var gate = new ManualResetEventSlim();
        var holding = writer.RunAsync(_ => gate.Wait(TimeSpan.FromSeconds(30)), Ct);
        Task<int> Set(int priority) => writer.RunAsync(w =>
        {
            w.Later("UPDATE cases SET priority = @priority WHERE id = @id").Bind("@priority", priority).Bind("@id", c.Id);
            return priority;
        }, Ct);
        var before = Enumerable.Range(1, 4).Select(Set).ToList();
        var failing = writer.RunAsync(w =>
        {
            w.Later("UPDATE cases SET team = @team WHERE id = @id").Bind("@team", "lost").Bind("@id", c.Id);
            w.Later("UPDATE no_such_table SET x = 1");
            return -1;
        }, Ct);
        var after = Enumerable.Range(5, 4).Select(Set).ToList();
        gate.Set();
        Assert.True(await holding);

        Assert.Equal(Enumerable.Range(1, 8), await Task.WhenAll(before.Concat(after)));
        await Assert.ThrowsAnyAsync<DbException>(() => failing);
        Assert.Equal(("support", 8), await writer.RunAsync(w => Row(w, c.Id), Ct));
    }

    private static (string Team, int Priority) Row(BatchWriter w, string caseId)
    {
        using var reader = w.Command("SELECT team, priority FROM cases WHERE id = @id").Bind("@id", caseId).ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture));
    }
}
