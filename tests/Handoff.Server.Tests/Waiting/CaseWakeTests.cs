using System.Reflection;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Server.Events;
using Handoff.Storage;
using Handoff.Storage.Sqlite;

namespace Handoff.Server.Tests.Waiting;

/// <summary>The watchers one change wakes share one read of it.</summary>
public sealed class CaseWakeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WatchersWokenByOneChange_ShareOneWake_AndEachKeyIsReadOnce()
    {
        var notifier = new CaseNotifier();
        using var first = notifier.Watch("cs_1");
        using var second = notifier.Watch("cs_1");
        using var elsewhere = notifier.Watch("cs_2");

        notifier.Changed("ws_1", "cs_1");
        Assert.True(await first.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, Ct));
        Assert.True(await second.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, Ct));

        Assert.Same(first.Wake, second.Wake);
        Assert.Null(elsewhere.Wake);
        var reads = 0;
        Task<int> Read(CancellationToken _) => Task.FromResult(Interlocked.Increment(ref reads));
        Assert.Equal(1, await first.Wake!.ReadOnceAsync("ws_1", Read, Ct));
        Assert.Equal(1, await second.Wake!.ReadOnceAsync("ws_1", Read, Ct));
        Assert.Equal(2, await second.Wake!.ReadOnceAsync("ws_2", Read, Ct));

        // A watch begun after the wake, with no change since, may take the shared read for its own.
        using var third = notifier.Watch("cs_1");
        Assert.True(first.Wake.Covers(third));

        // A later change is a new wake: what was read for the first one is not handed out again, and a watch begun
        // after that change may not take the first wake's read for its own.
        notifier.Changed("ws_1", "cs_1");
        Assert.True(await third.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, Ct));
        Assert.NotSame(first.Wake, third.Wake);
        Assert.Equal(3, await third.Wake!.ReadOnceAsync("ws_1", Read, Ct));
        using var fourth = notifier.Watch("cs_1");
        Assert.False(first.Wake.Covers(fourth));
        Assert.True(third.Wake.Covers(fourth));
    }

    [Fact]
    public async Task ASharedReadThatFails_IsReadByEachCallerItself_AndTheNextCallerSharesAFreshOne()
    {
        var wake = new CaseWake(0);
        var calls = 0;
        Task<string> Read(CancellationToken token) =>
            Interlocked.Increment(ref calls) == 1 ? Task.FromException<string>(new IOException("connection lost")) : Task.FromResult(token.CanBeCanceled ? "own" : "shared");
        using var cancel = new CancellationTokenSource();

        Assert.Equal("own", await wake.ReadOnceAsync("ws_1", Read, cancel.Token));
        Assert.Equal("shared", await wake.ReadOnceAsync("ws_1", Read, cancel.Token));
        Assert.Equal("shared", await wake.ReadOnceAsync("ws_1", Read, cancel.Token));
        Assert.Equal(3, calls);
    }

    [Fact]
    public void AWatch_IsUnchangedUntilItsCaseChanges()
    {
        var notifier = new CaseNotifier();
        using var watch = notifier.Watch("cs_1");
        Assert.True(watch.Unchanged);

        notifier.Changed("ws_1", "cs_1");

        Assert.False(watch.Unchanged);
    }

    [Fact]
    public async Task AfterWakeAll_NoEarlierWakeCoversANewWatch()
    {
        var notifier = new CaseNotifier();
        using var watch = notifier.Watch("cs_1");
        notifier.Changed("ws_1", "cs_1");
        Assert.True(await watch.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, Ct));
        using var again = notifier.Watch("cs_1");

        notifier.WakeAll();
        using var afterwards = notifier.Watch("cs_1");

        Assert.True(watch.Wake!.Covers(again));
        Assert.False(watch.Wake.Covers(afterwards));
        Assert.True(await again.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, Ct));
        Assert.True(again.Wake!.Covers(afterwards));
    }

    [Fact]
    public async Task FiftyLongPollsOnOneCase_ReadItOnceBetweenThemForEachChange()
    {
        var directory = Path.Combine(Path.GetTempPath(), "handoff-tests", Guid.NewGuid().ToString("N"));
        using var real = new SqliteHandoffStore(Path.Combine(directory, "handoff.db"), TimeProvider.System);
        await real.MigrateAsync(Ct);
        var workspace = await real.EnsureWorkspaceAsync("default", Actor.System, Ct);
        var now = TimeProvider.System.GetUtcNow();
        var pending = (await real.CreateCaseAsync(new HandoffCase
        {
            Id = "cs_" + Guid.NewGuid().ToString("N"),
            WorkspaceId = workspace.Id,
            Content = new CaseContent { Kind = CaseKind.Reply, Proposal = new Proposal("Hello", null, 0.5) },
            Evaluation = new Evaluation(Outcome.Review, [], "support", Priority.Normal, 0.8, 1),
            Status = CaseStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
        }, Ct)).Case;
        var store = CountingStore.Wrap(real);
        var notifier = new CaseNotifier();
        var waiter = new CaseWaiter(store, notifier, TimeProvider.System);

        var waits = Enumerable.Range(0, 50).Select(_ => waiter.WaitAsync(workspace.Id, pending.Id, TimeSpan.FromSeconds(60), Ct)).ToArray();
        // Every first read has come back pending (each watched before it read), so every waiter waits for the wake.
        while (CountingStore.Reads(store) < 50)
        {
            await Task.Delay(10, Ct);
        }

        // A claim is news to nobody here: each waiter watches again, and they share one read of the claimed case.
        await real.ClaimCaseAsync(workspace.Id, pending.Id, new Actor("user", "u1", "Rita"), now, Ct);
        notifier.Changed(workspace.Id, pending.Id);
        while (CountingStore.Reads(store) < 51 || notifier.WatcherCount(pending.Id) < 50)
        {
            await Task.Delay(10, Ct);
        }

        var decision = new Decision { Verdict = Verdict.Approve, ProposalDigest = ProposalDigest.Compute(pending.Content.Proposal), DecidedBy = new Actor("user", "u1", "Rita"), DecidedAt = now };
        await real.DecideCaseAsync(workspace.Id, pending.Id, decision, CaseStatus.Approved, Ct);
        notifier.Changed(workspace.Id, pending.Id);
        var answers = await Task.WhenAll(waits);

        Assert.All(answers, a => Assert.Equal(CaseStatus.Approved, a!.Status));
        Assert.Equal(52, CountingStore.Reads(store));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Counts the case reads that have come back.</summary>
    public class CountingStore : DispatchProxy
    {
        private IHandoffStore _inner = null!;
        private int _reads;

        public static IHandoffStore Wrap(IHandoffStore inner)
        {
            var proxy = Create<IHandoffStore, CountingStore>();
            ((CountingStore)(object)proxy)._inner = inner;
            return proxy;
        }

        public static int Reads(IHandoffStore store) => Volatile.Read(ref ((CountingStore)(object)store)._reads);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IHandoffStore.GetCaseAsync)
                ? CountAsync((Task<HandoffCase?>)targetMethod.Invoke(_inner, args)!)
                : targetMethod.Invoke(_inner, args);

        private async Task<HandoffCase?> CountAsync(Task<HandoffCase?> read)
        {
            var result = await read;
            Interlocked.Increment(ref _reads);
            return result;
        }
    }
}
