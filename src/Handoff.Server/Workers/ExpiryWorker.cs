using Handoff.Server.Diagnostics;
using Handoff.Server.Events;
using Handoff.Storage;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Workers;

/// <summary>
/// Applies <c>onTimeout</c> to pending cases whose time ran out and wakes their waiting agents. It looks at the
/// clock at least every <see cref="HandoffServerOptions.ExpiryPollInterval"/>, sooner when a case is due sooner.
/// </summary>
internal sealed partial class ExpiryWorker(
    IHandoffStore store, CaseNotifier notifier, HandoffMetrics metrics, TimeProvider time, IOptions<HandoffServerOptions> options, ILogger<ExpiryWorker> logger)
    : DueWorker(time, logger)
{
    protected override TimeSpan PollInterval => options.Value.ExpiryPollInterval;

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => store.GetNextExpiryAsync(cancellationToken);

    protected override async Task<int> RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = await store.ExpireDueCasesAsync(now, Batch, cancellationToken).ConfigureAwait(false);
        foreach (var c in expired)
        {
            notifier.Changed(c.WorkspaceId, c.Id);
            metrics.Expired(c.OnTimeout);
        }

        if (expired.Count > 0)
        {
            LogExpired(logger, expired.Count);
        }

        return expired.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired {Count} cases")]
    private static partial void LogExpired(ILogger logger, int count);
}
