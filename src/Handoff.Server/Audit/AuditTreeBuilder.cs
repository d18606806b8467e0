using Handoff.Storage;
using Microsoft.Extensions.Hosting;

namespace Handoff.Server.Audit;

/// <summary>
/// Keeps the audit log's stored Merkle tree nodes up with the sealed log (<see cref="AuditTreeReader.GrowAsync"/>):
/// a look every <see cref="Interval"/>, one read when nothing is due. Every node runs one; a node of the tree is a
/// function of the sealed log, so two nodes adding the same one store it once and neither waits for the other.
/// Proofs and checkpoints compute whatever it has not stored yet, so it only makes them cheaper.
/// </summary>
internal sealed partial class AuditTreeBuilder(IHandoffStore store, TimeProvider time, ILogger<AuditTreeBuilder> log) : BackgroundService
{
    /// <summary>How often it looks: a tile of 256 entries is then at most this late.</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Interval;
            try
            {
                await new AuditTreeReader(store).GrowAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(log, e);
                wait = Interval * 15;
            }

            try
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Growing the audit log's Merkle tree failed; trying again in 30 seconds.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
