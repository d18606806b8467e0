using Handoff.Server.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Routing;

/// <summary>
/// Runs <see cref="Router"/> passes: at once for a workspace that was signalled (several signals in a row make one
/// pass), and for every workspace it has heard of each <see cref="HandoffServerOptions.RoutingSweepInterval"/>. Every
/// node may run one; the store decides which offer wins.
/// </summary>
internal sealed partial class RoutingWorker(
    RoutingSignal signal, Router router, CaseNotifier notifier, TimeProvider time, IOptions<HandoffServerOptions> options, ILogger<RoutingWorker> logger)
    : BackgroundService
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        notifier.WorkspaceChanged += signal.Poke;
        try
        {
            var sweep = options.Value.RoutingSweepInterval;
            var nextSweep = time.GetUtcNow() + sweep;
            while (!stoppingToken.IsCancellationRequested)
            {
                var due = new HashSet<string>(StringComparer.Ordinal);
                var wait = nextSweep - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var read = signal.Reader.WaitToReadAsync(timeout.Token).AsTask();
                    var timer = Task.Delay(wait, time, timeout.Token);
                    await Task.WhenAny(read, timer).ConfigureAwait(false);
                    await timeout.CancelAsync().ConfigureAwait(false);
                    stoppingToken.ThrowIfCancellationRequested();
                }

                while (signal.Reader.TryRead(out var workspaceId))
                {
                    due.Add(workspaceId);
                }

                _known.UnionWith(due);
                if (time.GetUtcNow() >= nextSweep)
                {
                    due.UnionWith(_known);
                    nextSweep = time.GetUtcNow() + sweep;
                }

                foreach (var workspaceId in due)
                {
                    await PassAsync(workspaceId, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            notifier.WorkspaceChanged -= signal.Poke;
        }
    }

    private async Task PassAsync(string workspaceId, CancellationToken stoppingToken)
    {
        try
        {
            await router.RouteAsync(workspaceId, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed pass must not stop routing for good; it is logged and the next signal or sweep retries.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, workspaceId, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing pass for workspace {WorkspaceId} failed; the next signal or sweep retries")]
    private static partial void LogFailed(ILogger logger, string workspaceId, Exception exception);
}
