using Microsoft.Extensions.Hosting;

namespace Handoff.Server.Workers;

/// <summary>
/// Work that falls due at times the store knows (a case's expiry, a claim's grace). Each pass reads when the next
/// item is due — most passes find nothing due, and a pass that writes takes the store's write lock (on PostgreSQL,
/// every node's) for nothing — and only then writes; then it sleeps until the next item is due, but never longer than
/// <see cref="PollInterval"/>. Every node may run one: the store chooses the rows inside its write, so each item is
/// handled once. Time is the injected <see cref="TimeProvider"/>.
/// </summary>
internal abstract partial class DueWorker(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The most items one write handles; a full batch is followed at once by the next.</summary>
    protected const int Batch = 100;

    /// <summary>The longest sleep between looks at the store.</summary>
    protected abstract TimeSpan PollInterval { get; }

    /// <summary>When the next item falls due, or null when nothing waits. A read.</summary>
    protected abstract Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Handles up to <see cref="Batch"/> items due at <paramref name="now"/>; returns how many.</summary>
    protected abstract Task<int> RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var next = await NextDueAsync(stoppingToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                if (next <= now)
                {
                    if (await RunDueAsync(now, stoppingToken).ConfigureAwait(false) == Batch)
                    {
                        continue;
                    }

                    next = await NextDueAsync(stoppingToken).ConfigureAwait(false);
                }

                var wait = next is { } due ? due - time.GetUtcNow() : poll;
                await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > poll ? poll : wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass must not stop the work for good; it is logged and retried.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, GetType().Name, e);
                await Task.Delay(poll, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker} pass failed; retrying")]
    private static partial void LogFailed(ILogger logger, string worker, Exception exception);
}
