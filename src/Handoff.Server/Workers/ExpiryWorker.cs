using Handoff.Server.Diagnostics;
using Handoff.Server.Events;
using Handoff.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Workers;

/// <summary>
/// Applies <c>onTimeout</c> to pending cases whose time ran out and wakes their waiting agents. It looks at the
/// clock at least every <see cref="HandoffServerOptions.ExpiryPollInterval"/>, sooner when a case is due sooner.
/// </summary>
internal sealed partial class ExpiryWorker(
    IHandoffStore store, CaseNotifier notifier, HandoffMetrics metrics, TimeProvider time, IOptions<HandoffServerOptions> options, ILogger<ExpiryWorker> logger)
    : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = options.Value.ExpiryPollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A read first: most passes find nothing due, and a pass that writes takes the store's write lock
                // (on PostgreSQL, every node's) for nothing.
                var next = await store.GetNextExpiryAsync(stoppingToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                if (next <= now)
                {
                    var expired = await store.ExpireDueCasesAsync(now, Batch, stoppingToken).ConfigureAwait(false);
                    foreach (var c in expired)
                    {
                        notifier.Changed(c.WorkspaceId, c.Id);
                        metrics.Expired(c.OnTimeout);
                    }

                    if (expired.Count > 0)
                    {
                        LogExpired(logger, expired.Count);
                    }

                    if (expired.Count == Batch)
                    {
                        continue;
                    }

                    next = await store.GetNextExpiryAsync(stoppingToken).ConfigureAwait(false);
                }

                var wait = next is { } due ? due - time.GetUtcNow() : poll;
                await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > poll ? poll : wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass must not stop expiry for good; it is logged and retried.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, e);
                await Task.Delay(poll, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired {Count} cases")]
    private static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiry pass failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
