namespace Handoff.Server.Events;

/// <summary>
/// Wakes whoever waits on a case (long-polls, event streams) the moment it changes. It carries no data: a woken
/// waiter reads the case from the store, so a missed or doubled signal can never show wrong state. Watch before
/// reading, then wait: a change between the read and the wait still wakes the watcher. The watchers one change wakes
/// share a <see cref="CaseWake"/>, through which they may share a read begun after it.
/// Dashboards follow a whole workspace instead (<see cref="Subscribe"/>): every created or changed case of it.
/// With several nodes, a relay (<see cref="AttachRelay"/>) passes every change on to the other nodes, which hear of it
/// through <see cref="ChangedElsewhere"/>.
/// </summary>
internal sealed class CaseNotifier
{
    private Action<string, string>? _relay;

    private readonly Dictionary<string, List<TaskCompletionSource<CaseWake>>> _watchers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Action<string?>>> _subscribers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    // How many changes each stripe of cases has had (a case's stripe is its id's hash): a watch and a wake carry the
    // count when they began, so a waiter can tell that no change came between the wake it shares a read of and its
    // new watch (see CaseWake). Cases sharing a stripe only make that look false more often, never true wrongly.
    private readonly long[] _changes = new long[Stripes];
    private const int Stripes = 4096;

    /// <summary>
    /// Calls <paramref name="onChange"/> with the case id whenever a case of the workspace is created or changes, and
    /// with null when any case may have changed unheard (see <see cref="WakeAll"/>), until the returned handle is
    /// disposed. It runs on the notifying thread, so it must only hand the work on.
    /// </summary>
    public IDisposable Subscribe(string workspaceId, Action<string?> onChange)
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
        var signal = new TaskCompletionSource<CaseWake>(TaskCreationOptions.RunContinuationsAsynchronously);
        long generation;
        lock (_lock)
        {
            if (!_watchers.TryGetValue(caseId, out var list))
            {
                list = [];
                _watchers[caseId] = list;
            }

            list.Add(signal);
            generation = _changes[Stripe(caseId)];
        }

        return new CaseWatch(this, caseId, signal, generation);
    }

    /// <summary>
    /// Passes every later <see cref="Changed"/> on to <paramref name="publish"/> as well (workspace id, case id). It
    /// runs on the notifying thread, so it must only hand the work on. One relay per notifier.
    /// </summary>
    public void AttachRelay(Action<string, string> publish)
    {
        ArgumentNullException.ThrowIfNull(publish);
        if (Interlocked.CompareExchange(ref _relay, publish, null) is not null)
        {
            throw new InvalidOperationException("A relay is attached already.");
        }
    }

    /// <summary>A case of this node changed: wakes its watchers and the workspace's subscribers here, and tells the relay.</summary>
    public void Changed(string workspaceId, string caseId)
    {
        ChangedElsewhere(workspaceId, caseId);
        _relay?.Invoke(workspaceId, caseId);
    }

    /// <summary>
    /// Wakes every watcher of every case, as if each had changed, and tells every subscriber that any case may have
    /// changed: after the relay may have missed changes (its connection was lost), each waiter reads its case again
    /// and each dashboard page reloads, and so finds what it missed.
    /// </summary>
    public void WakeAll()
    {
        List<(CaseWake Wake, List<TaskCompletionSource<CaseWake>> Watchers)> woken;
        Action<string?>[] subscribers;
        lock (_lock)
        {
            for (var i = 0; i < Stripes; i++)
            {
                _changes[i]++;
            }

            woken = [.. _watchers.Select(p => (new CaseWake(_changes[Stripe(p.Key)]), p.Value))];
            _watchers.Clear();
            subscribers = [.. _subscribers.Values.SelectMany(static list => list)];
        }

        foreach (var (wake, watchers) in woken)
        {
            foreach (var signal in watchers)
            {
                signal.TrySetResult(wake);
            }
        }

        foreach (var subscriber in subscribers)
        {
            subscriber(null);
        }
    }

    /// <summary>
    /// Raised with the workspace's id for every change this notifier hears of, here or elsewhere (routing listens: a
    /// new or freed case may be offered). It runs on the notifying thread, so a handler must only hand the work on.
    /// </summary>
    public event Action<string>? WorkspaceChanged;

    /// <summary>A case changed on another node: wakes its watchers and the workspace's subscribers here only.</summary>
    public void ChangedElsewhere(string workspaceId, string caseId)
    {
        WorkspaceChanged?.Invoke(workspaceId);
        List<TaskCompletionSource<CaseWake>>? woken;
        Action<string?>[]? subscribers = null;
        long generation;
        lock (_lock)
        {
            generation = ++_changes[Stripe(caseId)];
            _watchers.Remove(caseId, out woken);
            if (_subscribers.TryGetValue(workspaceId, out var list))
            {
                subscribers = [.. list];
            }
        }

        if (woken is not null)
        {
            // Only a change somebody waits for gets a wake to share; the others only count.
            var wake = new CaseWake(generation);
            foreach (var signal in woken)
            {
                signal.TrySetResult(wake);
            }
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

    /// <summary>How many changes the case's stripe has had (see <see cref="CaseWake.Covers"/>).</summary>
    internal long Generation(string caseId)
    {
        lock (_lock)
        {
            return _changes[Stripe(caseId)];
        }
    }

    private static int Stripe(string caseId) => (int)((uint)StringComparer.Ordinal.GetHashCode(caseId) % Stripes);

    internal void Forget(string caseId, TaskCompletionSource<CaseWake> signal)
    {
        lock (_lock)
        {
            if (_watchers.TryGetValue(caseId, out var list) && list.Remove(signal) && list.Count == 0)
            {
                _watchers.Remove(caseId);
            }
        }
    }

    private void Unsubscribe(string workspaceId, Action<string?> onChange)
    {
        lock (_lock)
        {
            if (_subscribers.TryGetValue(workspaceId, out var list) && list.Remove(onChange) && list.Count == 0)
            {
                _subscribers.Remove(workspaceId);
            }
        }
    }

    private sealed class Subscription(CaseNotifier notifier, string workspaceId, Action<string?> onChange) : IDisposable
    {
        public void Dispose() => notifier.Unsubscribe(workspaceId, onChange);
    }
}
