using System.Collections.Concurrent;
using Handoff.Server.Events;

namespace Handoff.OfferLatency;

/// <summary>
/// When each change of a case was announced: the server's <see cref="CaseNotifier"/> tells every subscriber of the
/// workspace right after the store committed the change, which is the same signal that wakes dashboards and long-polls.
/// For a case of this benchmark the changes come in order: created (1), offered (2), accepted (3), decided (4); the
/// benchmark checks that order against the case's audit history.
/// </summary>
internal sealed class CaseClock : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _cases = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;

    public CaseClock(CaseNotifier notifier, string workspaceId) =>
        _subscription = notifier.Subscribe(workspaceId, OnChanged);

    /// <summary>Waits until the case's <paramref name="count"/>-th change was announced; returns every stamp so far (Unix ms).</summary>
    public async Task<double[]> WaitForAsync(string caseId, int count, TimeSpan timeout)
    {
        var entry = _cases.GetOrAdd(caseId, static _ => new Entry());
        Task reached;
        lock (entry)
        {
            if (entry.Stamps.Count >= count)
            {
                return [.. entry.Stamps];
            }

            entry.Waiters.Add((count, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
            reached = entry.Waiters[^1].Signal.Task;
        }

        await reached.WaitAsync(timeout);
        lock (entry)
        {
            return [.. entry.Stamps];
        }
    }

    public void Dispose() => _subscription.Dispose();

    // Runs on the notifying thread (the router's, the request's, the circuit's): takes the time and nothing more.
    private void OnChanged(string? caseId)
    {
        var now = Clock.NowMs();
        if (caseId is null)
        {
            return;
        }

        var entry = _cases.GetOrAdd(caseId, static _ => new Entry());
        lock (entry)
        {
            entry.Stamps.Add(now);
            foreach (var (count, signal) in entry.Waiters)
            {
                if (entry.Stamps.Count >= count)
                {
                    signal.TrySetResult();
                }
            }
        }
    }

    private sealed class Entry
    {
        public List<double> Stamps { get; } = [];

        public List<(int Count, TaskCompletionSource Signal)> Waiters { get; } = [];
    }
}
