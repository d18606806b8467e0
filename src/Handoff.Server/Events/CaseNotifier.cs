namespace Handoff.Server.Events;

/// <summary>
/// Wakes whoever waits on a case (long-polls, event streams) the moment it changes. It carries no data: a woken
/// waiter reads the case from the store, so a missed or doubled signal can never show wrong state. Watch before
/// reading, then wait: a change between the read and the wait still wakes the watcher.
/// </summary>
internal sealed class CaseNotifier
{
    private readonly Dictionary<string, List<TaskCompletionSource>> _watchers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public CaseWatch Watch(string caseId)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (!_watchers.TryGetValue(caseId, out var list))
            {
                list = [];
                _watchers[caseId] = list;
            }

            list.Add(signal);
        }

        return new CaseWatch(this, caseId, signal);
    }

    public void Changed(string caseId)
    {
        List<TaskCompletionSource>? woken;
        lock (_lock)
        {
            if (!_watchers.Remove(caseId, out woken))
            {
                return;
            }
        }

        foreach (var signal in woken)
        {
            signal.TrySetResult();
        }
    }

    /// <summary>How many waiters watch the case now (tests wait for a request to be waiting before they act).</summary>
    internal int WatcherCount(string caseId)
    {
        lock (_lock)
        {
            return _watchers.TryGetValue(caseId, out var list) ? list.Count : 0;
        }
    }

    internal void Forget(string caseId, TaskCompletionSource signal)
    {
        lock (_lock)
        {
            if (_watchers.TryGetValue(caseId, out var list) && list.Remove(signal) && list.Count == 0)
            {
                _watchers.Remove(caseId);
            }
        }
    }
}
