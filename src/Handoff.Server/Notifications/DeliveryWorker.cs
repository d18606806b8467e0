using Handoff.Core.Notifications;
using Handoff.Core.Notifications.Webhooks;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications;

/// <summary>
/// Sends the outbox's due messages through their channels. Each node runs one: it leases due messages (so no other
/// node attempts them while this one holds them), attempts up to <see cref="NotificationOptions.DeliveryParallelism"/>
/// side by side, leasing more as each ends, and completes each with its outcome — delivered, tried again later on the retry schedule, or given up as a dead letter. A node killed
/// mid-attempt leaves its leased messages to fall due again when the lease ends; the receiver may then see a message
/// twice, always with the same event id (at-least-once).
/// </summary>
internal sealed partial class DeliveryWorker(
    IHandoffStore store,
    IEnumerable<IDeliveryChannel> channels,
    DeliverySignal signal,
    IOptions<HandoffServerOptions> options,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, IDeliveryChannel> _channels = channels.ToDictionary(static c => c.Channel, StringComparer.Ordinal);

    /// <summary>Who holds this node's leases, in the delivery log: the machine, the process, and a random part.</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    private NotificationOptions Settings => options.Value.Notifications;

    /// <summary>Leases what is due now and attempts it; returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var leased = await store.LeaseDeliveriesAsync(Holder, time.GetUtcNow(), Settings.DeliveryLease, Settings.DeliveryParallelism, cancellationToken)
            .ConfigureAwait(false);
        await Task.WhenAll(leased.Select(d => AttemptAsync(d, cancellationToken))).ConfigureAwait(false);
        return leased.Count;
    }

    // A pipeline, not batches: up to DeliveryParallelism attempts run at once, and a slot that frees is filled at once,
    // so one slow receiver holds one slot for its 15 s, not the whole node's next batch.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(static t => t.IsCompleted);
            try
            {
                var wait = Settings.DeliveryPollInterval;
                var free = Settings.DeliveryParallelism - running.Count;
                if (free > 0)
                {
                    // Looked up first (a read), so that an idle outbox costs no write: leasing is one.
                    var next = await store.GetNextDeliveryDueAsync(stoppingToken).ConfigureAwait(false);
                    var now = time.GetUtcNow();
                    if (next is { } due && due <= now)
                    {
                        var leased = await store.LeaseDeliveriesAsync(Holder, now, Settings.DeliveryLease, free, stoppingToken).ConfigureAwait(false);
                        running.AddRange(leased.Select(d => AttemptInPipelineAsync(d, stoppingToken)));
                        if (leased.Count > 0)
                        {
                            continue;
                        }
                    }
                    else if (next is { } later && later - now < wait)
                    {
                        wait = later - now;
                    }
                }

                // Woken by the dispatcher's enqueue or by an attempt that ended and freed its slot.
                await signal.WaitAsync(wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A failed pass must not stop deliveries for good; it is logged and tried again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, e);
                try
                {
                    await Task.Delay(Settings.DeliveryPollInterval, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        // Attempts under way record their outcomes before the node stops (each ends quickly once cancelled).
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task AttemptInPipelineAsync(Delivery d, CancellationToken cancellationToken)
    {
        try
        {
            await AttemptAsync(d, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and another attempt follows.
        }
#pragma warning disable CA1031 // Recording the outcome failed (the store): the lease runs out and the message is attempted again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, e);
        }
        finally
        {
            signal.Set();
        }
    }

    private async Task AttemptAsync(Delivery d, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        DeliveryOutcome outcome;
        if (!_channels.TryGetValue(d.Channel, out var channel))
        {
            outcome = DeliveryOutcome.Failed($"this server has no '{d.Channel}' channel configured", TimeSpan.Zero, permanent: true);
        }
        else
        {
            try
            {
                outcome = await channel.SendAsync(
                    new OutboundMessage(d.Id, d.EventId, d.EventType, d.WorkspaceId, d.CaseId, d.Channel, d.Target, d.Body, d.Attempts, d.CreatedAt),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down: the lease runs out and another attempt follows; nothing to log.
                return;
            }
#pragma warning disable CA1031 // A channel's bug is this message's failure, retried like any other, not the worker's end.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogChannelFailed(logger, d.Channel, d.Id, e);
                outcome = DeliveryOutcome.Failed($"the {d.Channel} channel failed: {e.Message}", time.GetElapsedTime(started));
            }
        }

        var now = time.GetUtcNow();
        var attempt = new DeliveryAttempt(
            d.Id, d.Attempts, now, outcome.Delivered, outcome.StatusCode, (int)Math.Min(int.MaxValue, outcome.Latency.TotalMilliseconds), outcome.Error, outcome.ResponseExcerpt);
        // A failure that came with a 2xx (Slack's 200 with "ok": false) is retried like one without an answer.
        var status = outcome.StatusCode is >= 200 and <= 299 ? null : outcome.StatusCode;
        var next = outcome.Delivered || outcome.Gone || outcome.Permanent
            ? null
            : WebhookRetry.Next(d.Attempts, status, outcome.RetryAfter, Random.Shared) is { } delay ? now + delay : (DateTimeOffset?)null;
        var disable = d.Channel == DeliveryChannels.Webhook ? await DisableReasonAsync(d, outcome, now, cancellationToken).ConfigureAwait(false) : null;
        // Completed even while shutting down: the attempt happened, and its outcome must not be lost.
        await store.CompleteDeliveryAsync(d.Id, Holder, new DeliveryResult(attempt, next, outcome.Reference, disable), CancellationToken.None).ConfigureAwait(false);
    }

    // 410 Gone says the receiver wants no more; an endpoint failing every attempt for days is not coming back by itself.
    private async Task<string?> DisableReasonAsync(Delivery d, DeliveryOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (outcome.Delivered)
        {
            return null;
        }

        if (outcome.Gone)
        {
            return "the endpoint answered 410 Gone";
        }

        var endpoint = await store.GetWebhookEndpointAsync(d.WorkspaceId, d.Target, cancellationToken).ConfigureAwait(false);
        return endpoint?.FailingSince is { } since && now - since >= Settings.DisableEndpointsFailingFor
            ? $"every attempt failed for {Math.Round((now - since).TotalDays, 1)} days (last: {outcome.Error})"
            : null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering events failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Channel} channel threw for delivery {DeliveryId}")]
    private static partial void LogChannelFailed(ILogger logger, string channel, string deliveryId, Exception exception);
}
