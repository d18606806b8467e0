namespace Handoff.Client.Tests.Infrastructure;

/// <summary>Follows a case's events in the background and keeps what arrived.</summary>
internal sealed class EventCollector
{
    private readonly List<CaseEvent> _seen = [];

    private EventCollector(HandoffClient client, string caseId) =>
        Completion = Task.Run(async () =>
        {
            await foreach (var item in client.StreamEventsAsync(caseId, cancellationToken: TestContext.Current.CancellationToken))
            {
                lock (_seen)
                {
                    _seen.Add(item);
                }
            }
        });

    /// <summary>Completes when the stream ends (the case closed).</summary>
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

    public static EventCollector Start(HandoffClient client, string caseId) => new(client, caseId);

    /// <summary>Waits (bounded) until <paramref name="count"/> events arrived.</summary>
    public Task UntilAsync(int count, string what) => Eventually.TrueAsync(() => Seen.Count >= count, what);
}
