using Handoff.Server.Events;
using Handoff.Storage;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Workers;

/// <summary>
/// Acts on waiting cases' SLAs: logs the warning and the breach and climbs the breach ladder (raise priority,
/// overflow, supervisor, timeout), then wakes the cases' waiting agents and dashboards. Like the expiry, it reads the
/// next SLA event first and writes only when one is due, at least every <see cref="HandoffServerOptions.ExpiryPollInterval"/>.
/// </summary>
internal sealed partial class SlaWorker(
    IHandoffStore store, CaseNotifier notifier, TimeProvider time, IOptions<HandoffServerOptions> options, ILogger<SlaWorker> logger)
    : DueWorker(time, logger)
{
    protected override TimeSpan PollInterval => options.Value.ExpiryPollInterval;

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => store.GetNextSlaEventAsync(cancellationToken);

    protected override async Task<int> RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = await store.RunDueSlaEventsAsync(now, Batch, cancellationToken).ConfigureAwait(false);
        foreach (var c in changed)
        {
            notifier.Changed(c.WorkspaceId, c.Id);
        }

        if (changed.Count > 0)
        {
            LogChanged(logger, changed.Count);
        }

        return changed.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Acted on the SLAs of {Count} cases")]
    private static partial void LogChanged(ILogger logger, int count);
}
