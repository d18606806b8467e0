namespace Handoff.Client.Tests.Infrastructure;

/// <summary>Follows a case's events (or every case of the key's) in the background and keeps what arrived.</summary>
internal sealed class EventCollector
{
    private readonly List<CaseEvent> _seen = [];

    private EventCollector(IAsyncEnumerable<CaseEvent> events) =>
        Completion = Task.Run(async () =>
        {
            await foreach (var item in events)
            {
                lock (_seen)
                {
                    _seen.Add(item);
                }
            }
        });

    /// <summary>Completes when the stream ends (the case closed, or the workspace's stream was cancelled).</summary>
    public Task Completion { get; }

    public IReadOnlyList<CaseEvent> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public static EventCollector Start(HandoffClient client, string caseId) =>
        new(client.StreamEventsAsync(caseId, cancellationToken: TestContext.Current.CancellationToken));

    /// <summary>Follows every case of the client's key (<c>GET /v1/events</c>) until <paramref name="stop"/> is cancelled.</summary>
    public static EventCollector StartAll(HandoffClient client, long? afterSequence, CancellationToken stop) =>
        new(client.StreamAllEventsAsync(afterSequence, stop));

    /// <summary>Waits (bounded) until <paramref name="count"/> events arrived.</summary>
    public Task UntilAsync(int count, string what) => Eventually.TrueAsync(() => Seen.Count >= count, what);
}
