using Handoff.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Audit;

/// <summary>
/// Seals the audit entries that writes leave unsealed (PostgreSQL; see <see cref="IHandoffStore.SealAuditAsync"/>):
/// batches back to back while entries wait, then a look every <see cref="HandoffServerOptions.AuditSealInterval"/>.
/// Every node runs one and the database lets one seal at a time, so when the sealing node dies the next look of
/// another node takes over. Followers of the sealed log (the outbox, the workspace's event stream, the roll-ups, the
/// checkpoints) see an entry once it is sealed, and look for it again often enough that the interval about bounds
/// how late. After a failure (the database away) it waits longer before trying again.
/// </summary>
internal sealed partial class AuditSealer(IHandoffStore store, IOptions<HandoffServerOptions> options, TimeProvider time, ILogger<AuditSealer> log)
    : BackgroundService
{
    /// <summary>
    /// How many entries one sealing transaction chains at most: a few milliseconds of hashing and one statement, so a
    /// backlog is worked off in steps that each commit soon.
    /// </summary>
    internal const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.AuditSealInterval;
        if (interval <= TimeSpan.Zero || !store.Supports(StoreCapability.MultipleNodes))
        {
            // SQLite's one writer seals each entry as it writes it.
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await store.SealAuditAsync(BatchSize, stoppingToken).ConfigureAwait(false) == BatchSize)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogSealingFailed(log, e);
                // Not every 100 ms on every node while the database is away: once every few seconds is news enough.
                await Task.Delay(interval * 30, time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealing the audit log failed; trying again in 30 intervals.")]
    private static partial void LogSealingFailed(ILogger logger, Exception exception);
}
