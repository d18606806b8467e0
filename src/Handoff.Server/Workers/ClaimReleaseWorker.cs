using Handoff.Server.Events;
using Handoff.Storage;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Workers;

/// <summary>
/// Returns to the queue the cases held by people no dashboard has seen for <see cref="HandoffServerOptions.ClaimGracePeriod"/>
/// (their open dashboards renew their claims through <see cref="Dashboard.ClaimRenewal"/>), and tells the dashboards.
/// It looks at the store at least every <see cref="HandoffServerOptions.ClaimRenewalInterval"/>, sooner when a claim
/// is due sooner.
/// </summary>
internal sealed partial class ClaimReleaseWorker(
    IHandoffStore store, CaseNotifier notifier, TimeProvider time, IOptions<HandoffServerOptions> options, ILogger<ClaimReleaseWorker> logger)
    : DueWorker(time, logger)
{
    private readonly TimeSpan _grace = options.Value.ClaimGracePeriod;

    protected override TimeSpan PollInterval => options.Value.ClaimRenewalInterval;

    protected override async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        await store.GetOldestClaimSeenAsync(cancellationToken).ConfigureAwait(false) + _grace;

    protected override async Task<int> RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reason = $"The holder's dashboard was not seen for {_grace.TotalSeconds:0} s.";
        var released = await store.ReleaseUnseenClaimsAsync(now - _grace, now, reason, Batch, cancellationToken).ConfigureAwait(false);
        foreach (var c in released)
        {
            notifier.Changed(c.WorkspaceId, c.Id);
        }

        if (released.Count > 0)
        {
            LogReleased(logger, released.Count);
        }

        return released.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} cases whose holders left the dashboard")]
    private static partial void LogReleased(ILogger logger, int count);
}
