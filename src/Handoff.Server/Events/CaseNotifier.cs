namespace Handoff.Server.Events;

/// <summary>
/// Wakes whoever waits on a case (long-polls, event streams) the moment it changes. It carries no data: a woken
/// waiter reads the case from the store, so a missed or doubled signal can never show wrong state. Watch before
/// reading, then wait: a change between the read and the wait still wakes the watcher.
/// Dashboards follow a whole workspace instead (<see cref="Subscribe"/>): every created or changed case of it.
/// </summary>
internal sealed class CaseNotifier
{
    private readonly Dictionary<string, List<TaskCompletionSource>> _watchers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Action<string>>> _subscribers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>
    /// Calls <paramref name="onChange"/> with the case id whenever a case of the workspace is created or changes,
    /// until the returned handle is disposed. It runs on the notifying thread, so it must only hand the work on.
    /// </summary>
    public IDisposable Subscribe(string workspaceId, Action<string> onChange)
    {
        lock (_lock)
        {
            if (!_subscribers.TryGetValue(workspaceId, out var list))
            {
                list = [];
                _subscribers[workspaceId] = list;
            }

            list.Add(onChange);
        }

        return new Subscription(this, workspaceId, onChange);
    }

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

    public void Changed(string workspaceId, string caseId)
    {
        List<TaskCompletionSource>? woken;
        Action<string>[]? subscribers = null;
        lock (_lock)
        {
            _watchers.Remove(caseId, out woken);
            if (_subscribers.TryGetValue(workspaceId, out var list))
            {
                subscribers = [.. list];
            }
        }

        foreach (var signal in woken ?? [])
        {
            signal.TrySetResult();
        }

        foreach (var subscriber in subscribers ?? [])
        {
            subscriber(caseId);
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

    /// <summary>How many dashboard pages follow the workspace now (tests check pages let go when they close).</summary>
    internal int SubscriberCount(string workspaceId)
    {
        lock (_lock)
        {
            return _subscribers.TryGetValue(workspaceId, out var list) ? list.Count : 0;
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

    private void Unsubscribe(string workspaceId, Action<string> onChange)
    {
        lock (_lock)
        {
            if (_subscribers.TryGetValue(workspaceId, out var list) && list.Remove(onChange) && list.Count == 0)
            {
                _subscribers.Remove(workspaceId);
            }
        }
    }

    private sealed class Subscription(CaseNotifier notifier, string workspaceId, Action<string> onChange) : IDisposable
    {
        public void Dispose() => notifier.Unsubscribe(workspaceId, onChange);
    }
}
