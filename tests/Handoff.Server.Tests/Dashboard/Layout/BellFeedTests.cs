using Handoff.Core.Cases;
using Handoff.Server.Dashboard.Layout;
using Handoff.Server.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Handoff.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Server.Tests.Dashboard.Layout;

/// <summary>What a person's bell lists, read from a real SQLite outbox.</summary>
public sealed class BellFeedTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "handoff-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Start);
    private SqliteHandoffStore _store = default!;
    private User _ana = default!;
    private string _otherWorkspace = "";

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteHandoffStore(Path.Combine(_directory, "handoff.db"), _time);
        await _store.MigrateAsync(Ct);
        var workspace = await _store.EnsureWorkspaceAsync("default", Actor.Cli("tests"), Ct);
        _otherWorkspace = (await _store.EnsureWorkspaceAsync("other", Actor.Cli("tests"), Ct)).Id;
        _ana = new User("usr_ana", workspace.Id, "ana@example.com", "Ana Lima", UserRole.Reviewer, [], "", Start, null);
    }

    [Fact]
    public async Task LatestAsync_ListsOnlyThePersonsSentDashboardNotices_NewestFirst()
    {
        await AddAsync("Older", _ana.Id);
        _time.Advance(TimeSpan.FromSeconds(1));
        await AddAsync("Newer", _ana.Id);
        await AddAsync("Ben's", "usr_ben");
        await AddAsync("By e-mail", _ana.Id, channel: DeliveryChannels.Email);
        await AddAsync("Elsewhere", _ana.Id, workspaceId: _otherWorkspace);
        await AddAsync("Given up", _ana.Id);
        await SendAllAsync(failing: "Given up");
        // Ids order by time to the millisecond: each step later, so that newest first is one order.
        _time.Advance(TimeSpan.FromSeconds(1));
        await AddAsync("Being sent", _ana.Id);
        _ = await _store.LeaseDeliveriesAsync("node-1", _time.GetUtcNow(), TimeSpan.FromMinutes(1), 100, Ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        await AddAsync("Not sent yet", _ana.Id);

        var (notices, more) = await BellFeed.LatestAsync(_store, _ana, Ct);

        Assert.Equal(["Being sent", "Newer", "Older"], notices.Select(n => n.Title));
        Assert.False(more);
        Assert.Equal("/cases/cs_Newer", notices[1].Link);
        Assert.Equal(Start.AddSeconds(1), notices[1].Added);
    }

    [Fact]
    public async Task LatestAsync_MoreThanTwenty_ListsTheLatestTwenty_AndSaysThereAreMore()
    {
        for (var i = 0; i < BellFeed.Shown + 3; i++)
        {
            await AddAsync($"Notice {i}", _ana.Id);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        await SendAllAsync();

        var (notices, more) = await BellFeed.LatestAsync(_store, _ana, Ct);

        Assert.Equal(BellFeed.Shown, notices.Count);
        Assert.True(more);
        Assert.Equal($"Notice {BellFeed.Shown + 2}", notices[0].Title);
    }

    [Fact]
    public async Task LatestAsync_ABodyThatIsNoNotice_IsLeftOut()
    {
        await _store.AddDeliveriesAsync([new NewDelivery("evt_bad", "case.offered", _ana.WorkspaceId, null, DashboardChannel.Name, _ana.Id, "{not json")], Ct);
        await AddAsync("Fine", _ana.Id);
        await SendAllAsync();

        var (notices, _) = await BellFeed.LatestAsync(_store, _ana, Ct);

        Assert.Equal(["Fine"], notices.Select(n => n.Title));
    }

    [Theory]
    [InlineData("/cases/cs_1", "/cases/cs_1")]
    [InlineData("https://handoff.example.com/cases/cs_1", "https://handoff.example.com/cases/cs_1")]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("//evil.example.com/cases/cs_1", null)]
    [InlineData("/\\evil.example.com", null)]
    [InlineData("data:text/html,hi", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void SafeLink_KeepsPathsAndWebAddressesOnly(string? link, string? kept) => Assert.Equal(kept, BellFeed.SafeLink(link));

    private Task AddAsync(string title, string target, string channel = DashboardChannel.Name, string? workspaceId = null)
    {
        var notice = new DashboardNotice("case.offered", "Offered to Ana Lima", title, $"cs_{title}", $"/cases/cs_{title}", _time.GetUtcNow());
        return _store.AddDeliveriesAsync([new NewDelivery($"evt_{Guid.NewGuid():N}", notice.EventType, workspaceId ?? _ana.WorkspaceId, notice.CaseId, channel, target, notice.ToJson())], Ct);
    }

    // As the delivery worker does: lease what is due, complete each as delivered (or, for one title, given up).
    private async Task SendAllAsync(string? failing = null)
    {
        var now = _time.GetUtcNow();
        foreach (var d in await _store.LeaseDeliveriesAsync("node-1", now, TimeSpan.FromMinutes(1), 100, Ct))
        {
            var failed = failing is not null && d.Body.Contains($"\"{failing}\"", StringComparison.Ordinal);
            await _store.CompleteDeliveryAsync(d.Id, "node-1", new DeliveryResult(new DeliveryAttempt(d.Id, d.Attempts, now, !failed, null, 0, failed ? "no" : null), null), Ct);
        }
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the test; the temp folder is the OS's to clean.
        }

        return ValueTask.CompletedTask;
    }
}
