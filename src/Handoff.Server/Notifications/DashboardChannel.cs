namespace Handoff.Server.Notifications;

/// <summary>
/// The bell in the dashboard's header: a <c>dashboard</c> delivery is its own record (the bell lists the person's
/// deliveries), so sending it is telling the person's open dashboards on this node to look again; those on other nodes
/// look when their next refresh comes.
/// </summary>
internal sealed class DashboardChannel(PersonSignal people) : IDeliveryChannel
{
    public const string Name = "dashboard";

    public string Channel => Name;

    public Task<DeliveryOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        people.Notify(message.Target);
        return Task.FromResult(DeliveryOutcome.Ok(null, TimeSpan.Zero));
    }
}

/// <summary>Wakes a person's open dashboards (the bell) when something was delivered to them.</summary>
internal sealed class PersonSignal
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Action>> _listeners = new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="onNotice"/> (on the notifying thread: hand the work on) until the handle is disposed.</summary>
    public IDisposable Listen(string userId, Action onNotice)
    {
        lock (_lock)
        {
            if (!_listeners.TryGetValue(userId, out var list))
            {
                _listeners[userId] = list = [];
            }

            list.Add(onNotice);
        }

        return new Listening(this, userId, onNotice);
    }

    public void Notify(string userId)
    {
        Action[] listeners;
        lock (_lock)
        {
            listeners = _listeners.TryGetValue(userId, out var list) ? [.. list] : [];
        }

        foreach (var listener in listeners)
        {
            listener();
        }
    }

    private sealed class Listening(PersonSignal signal, string userId, Action onNotice) : IDisposable
    {
        public void Dispose()
        {
            lock (signal._lock)
            {
                if (signal._listeners.TryGetValue(userId, out var list) && list.Remove(onNotice) && list.Count == 0)
                {
                    signal._listeners.Remove(userId);
                }
            }
        }
    }
}
