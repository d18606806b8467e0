using Handoff.Server.Events;
using Handoff.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Workers;

/// <summary>
/// Returns to the queue the cases held by people no dashboard has seen for <see cref="HandoffServerOptions.ClaimGracePeriod"/>
/// (their open dashboards renew their claims through <see cref="Dashboard.ClaimRenewal"/>). Every node runs one; the
/// store chooses the cases inside its write, so each is released once. Like <see cref="ExpiryWorker"/> it reads first
/// and writes only when a claim is due, and sleeps until then, at most <see cref="HandoffServerOptions.ClaimRenewalInterval"/>.
/// </summary>
internal sealed partial class ClaimReleaseWorker(
    IHandoffStore store, CaseNotifier notifier, TimeProvider time, IOptions<HandoffServerOptions> options, ILogger<ClaimReleaseWorker> logger)
    : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var grace = options.Value.ClaimGracePeriod;
        var poll = options.Value.ClaimRenewalInterval;
        var reason = $"The holder's dashboard was not seen for {grace.TotalSeconds:0} s.";
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var oldest = await store.GetOldestClaimSeenAsync(stoppingToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                if (oldest + grace <= now)
                {
                    var released = await store.ReleaseUnseenClaimsAsync(now - grace, now, reason, Batch, stoppingToken).ConfigureAwait(false);
                    foreach (var c in released)
                    {
                        notifier.Changed(c.WorkspaceId, c.Id);
                    }

                    if (released.Count > 0)
                    {
                        LogReleased(logger, released.Count);
                    }

                    if (released.Count == Batch)
                    {
                        continue;
                    }

                    oldest = await store.GetOldestClaimSeenAsync(stoppingToken).ConfigureAwait(false);
                }

                var wait = oldest is { } seen ? seen + grace - time.GetUtcNow() : poll;
                await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > poll ? poll : wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass must not stop releases for good; it is logged and retried.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, e);
                await Task.Delay(poll, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} cases whose holders left the dashboard")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Releasing unseen claims failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
