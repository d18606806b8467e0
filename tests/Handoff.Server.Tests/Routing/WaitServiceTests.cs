using Handoff.Core.Cases;
using Handoff.Server.Routing;
using Handoff.Storage;
using Handoff.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Server.Tests.Routing;

/// <summary>The expected wait a submission is told, read from a real SQLite store: a team's pick-ups are read once per <see cref="WaitService.Fresh"/>.</summary>
public sealed class WaitServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Rita = new(Actor.UserKind, "usr_rita", "Rita");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "handoff-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Start);
    private SqliteHandoffStore _store = default!;
    private string _workspace = "";

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteHandoffStore(Path.Combine(_directory, "handoff.db"), _time);
        await _store.MigrateAsync(Ct);
        _workspace = (await _store.EnsureWorkspaceAsync("default", Actor.Cli("tests"), Ct)).Id;
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Estimate_ReadsTheTeamsPickupsOncePerFreshSpan_AndSeesNewOnesAfterIt()
    {
        var waits = new WaitService(_store, _time);
        for (var i = 0; i < 3; i++)
        {
            await PickUpAsync(TimeSpan.FromMinutes(2));
        }

        var first = await waits.EstimateAsync(_workspace, "sales", Priority.Normal, Ct);
        Assert.Equal(TimeSpan.FromMinutes(2), first.Expected);
        Assert.Contains("median of 3 pick-ups", first.Explanation, StringComparison.Ordinal);

        // Slower pick-ups within the fresh span are not read yet: the estimate is the one just made.
        await PickUpAsync(TimeSpan.FromSeconds(1));
        await PickUpAsync(TimeSpan.FromSeconds(1));
        await PickUpAsync(TimeSpan.FromSeconds(1));
        _time.Advance(WaitService.Fresh - TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(first, await waits.EstimateAsync(_workspace, "sales", Priority.Normal, Ct));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var later = await waits.EstimateAsync(_workspace, "sales", Priority.Normal, Ct);
        Assert.Contains("median of 6 pick-ups", later.Explanation, StringComparison.Ordinal);
        Assert.True(later.Expected < first.Expected, $"{later.Expected} after three quick pick-ups");

        // Another team is read on its own.
        Assert.Contains("no pick-ups at team billing", (await waits.EstimateAsync(_workspace, "billing", Priority.Normal, Ct)).Explanation, StringComparison.Ordinal);
    }

    // A case of team sales, created now and claimed after the wait, the clock left at the claim.
    private async Task PickUpAsync(TimeSpan wait)
    {
        var created = await _store.CreateCaseAsync(Handoff.Tests.Shared.Cases.Pending(_workspace, _time.GetUtcNow()), Ct);
        _time.Advance(wait);
        Assert.Equal(CaseUpdateStatus.Updated, (await _store.ClaimCaseAsync(_workspace, created.Case.Id, Rita, _time.GetUtcNow(), Ct)).Status);
    }
}
