using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications;

/// <summary>
/// Turns the audit log into outbox messages. Every change is an audit entry written in the same transaction as the
/// change, so the log is the transactional outbox's source: the dispatcher reads the entries after its position,
/// maps each to its events (<see cref="EventMap"/>), asks every route who hears of each, and enqueues the messages
/// together with the new position in one write. The write compares the position first, so with several nodes each
/// dispatching, every entry is fanned out exactly once; a node killed between the read and the write just leaves
/// the entries to the next dispatch. Requests never wait for any of it: the auto path pays nothing.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IHandoffStore store,
    IEnumerable<IEventRoute> routes,
    DeliverySignal signal,
    IOptions<HandoffServerOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly IEventRoute[] _routes = [.. routes];
    private NotificationOptions Settings => options.Value.Notifications;

    /// <summary>One dispatch: reads, fans out and enqueues up to a batch of entries; returns how many were read.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var from = await store.GetDispatchPositionAsync(cancellationToken).ConfigureAwait(false);
        var entries = await store.ReadAuditAsync(from, Settings.DispatchBatch, cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            return 0;
        }

        foreach (var route in _routes)
        {
            await route.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }

        var deliveries = new List<NewDelivery>();
        foreach (var entry in entries)
        {
            IReadOnlyList<string> types;
            using (var data = JsonDocument.Parse(entry.Data))
            {
                types = EventMap.Of(entry.Action, data.RootElement);
            }

            // The case is read at most once per entry, and only when a route asks for it.
            Task<HandoffCase?>? read = null;
            Task<HandoffCase?> ReadCase(CancellationToken ct) => read ??= store.GetCaseAsync(entry.WorkspaceId, entry.Subject, ct);
            for (var i = 0; i < types.Count; i++)
            {
                var e = new OutboxEvent($"evt_{entry.Sequence}_{i}", types[i], entry, ReadCase);
                foreach (var route in _routes)
                {
                    await route.RouteAsync(e, deliveries, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (!await store.EnqueueAsync(from, entries[^1].Sequence, deliveries, cancellationToken).ConfigureAwait(false))
        {
            // Another node dispatched these meanwhile.
            return entries.Count;
        }

        if (deliveries.Count > 0)
        {
            signal.Set();
        }

        return entries.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DispatchOnceAsync(stoppingToken).ConfigureAwait(false) < Settings.DispatchBatch)
                {
                    await Task.Delay(Settings.DispatchInterval, time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed dispatch must not stop events for good; it is logged and tried again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, e);
                await Task.Delay(Settings.DeliveryPollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching events failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
