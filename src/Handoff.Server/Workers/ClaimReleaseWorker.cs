using Handoff.Server.Events;
using Handoff.Storage;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Workers;

/// <summary>
/// Returns to the queue the cases held by people no dashboard has seen for their team's
/// <see cref="Team.IdleClaimTimeout"/>, or <see cref="HandoffServerOptions.ClaimGracePeriod"/> when the team sets none
/// (their open dashboards renew their claims through <see cref="Dashboard.ClaimRenewal"/>), and tells the dashboards —
/// and so routing, which every case change wakes (see <see cref="Routing.RoutingWorker"/>), so that a push team offers
/// the case again at once. It looks at the store at least every
/// <see cref="HandoffServerOptions.ClaimRenewalInterval"/>, sooner when a claim is due sooner.
/// </summary>
internal sealed partial class ClaimReleaseWorker(
    IHandoffStore store, CaseNotifier notifier, TimeProvider time, IOptions<HandoffServerOptions> options, ILogger<ClaimReleaseWorker> logger)
    : DueWorker(time, logger)
{
    private readonly IdleClaimTimeouts _timeouts = Timeouts(options.Value);

    protected override TimeSpan PollInterval => options.Value.ClaimRenewalInterval;

    /// <summary>
    /// The server's default, and the shortest a team's own timeout counts for: two renewals of an open dashboard, so
    /// that one renewal late or lost never costs a person who is there their cases (never above the default, which the
    /// options already keep longer than one renewal).
    /// </summary>
    private static IdleClaimTimeouts Timeouts(HandoffServerOptions options)
    {
        var twoRenewals = options.ClaimRenewalInterval * 2;
        return new IdleClaimTimeouts(options.ClaimGracePeriod, twoRenewals < options.ClaimGracePeriod ? twoRenewals : options.ClaimGracePeriod);
    }

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        store.GetNextIdleClaimAsync(_timeouts, cancellationToken);

    protected override async Task<int> RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var released = await store.ReleaseUnseenClaimsAsync(now, _timeouts, Batch, cancellationToken).ConfigureAwait(false);
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
