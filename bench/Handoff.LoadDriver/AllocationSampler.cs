using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Handoff.LoadDriver;

/// <summary>
/// What a run allocates, by type: the runtime's allocation ticks (one event per about 100 KB allocated, naming the
/// type that crossed the mark), added up while the sampler is on. A statistical picture, not an exact count; with
/// hundreds of thousands of requests it ranks the types well. <c>--allocations</c> turns it on.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int GcKeyword = 0x1;
    private const int AllocationTickEventId = 10;

    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start() => _recording = true;

    public void Stop() => _recording = false;

    /// <summary>The <paramref name="top"/> types by sampled bytes, with each one's share and bytes per request.</summary>
    public string Report(long requests, int top = 25)
    {
        var total = _bytes.Values.Sum();
        if (total == 0 || requests == 0)
        {
            return "allocations: no samples";
        }

        var lines = _bytes.OrderByDescending(static p => p.Value).Take(top).Select(p => string.Create(CultureInfo.InvariantCulture,
            $"| {p.Key} | {100.0 * p.Value / total:0.0} % | {(double)p.Value / requests:N0} |"));
        return "| type | share of sampled bytes | bytes per request |\n|---|---:|---:|\n" + string.Join('\n', lines);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventId != AllocationTickEventId || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        var type = Field(eventData, "TypeName") as string ?? "?";
        var amount = Field(eventData, "AllocationAmount64") is ulong big ? (long)big : Convert.ToInt64(Field(eventData, "AllocationAmount") ?? 0, CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    private static object? Field(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames!.IndexOf(name);
        return index < 0 ? null : e.Payload![index];
    }
}
