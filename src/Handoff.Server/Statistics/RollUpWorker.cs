using Handoff.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Statistics;

/// <summary>
/// Keeps the overview's daily roll-ups close to the audit log's end (see <see cref="IHandoffStore.RollUpClosedCasesAsync"/>),
/// so that the overview reads a row per day and only the last few seconds' closed cases one by one: a batch, the next
/// at once while there is a backlog, then every <see cref="HandoffServerOptions.RollUpInterval"/>. Every node runs
/// one; the store counts each case once whichever node rolls it up.
/// </summary>
internal sealed partial class RollUpWorker(IHandoffStore store, IOptions<HandoffServerOptions> options, TimeProvider time, ILogger<RollUpWorker> log)
    : BackgroundService
{
    /// <summary>
    /// How many case-closing entries one write reads at most: about 10 ms of the writers' time on SQLite at a million
    /// cases (about 100 µs an entry there, measured in docs/benchmarks.md), so a backlog never holds other writes up for long.
    /// </summary>
    internal const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RollUpInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await store.RollUpClosedCasesAsync(BatchSize, stoppingToken).ConfigureAwait(false) > 0)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogRollUpFailed(log, e);
            }

            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rolling up closed cases failed; trying again at the next interval.")]
    private static partial void LogRollUpFailed(ILogger logger, Exception exception);
}
