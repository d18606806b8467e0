using System.Collections.Concurrent;
using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Storage;

namespace Handoff.Server.Routing;

/// <summary>
/// The expected wait for a new case at a team and priority, from how fast people there picked up cases recently (Core's
/// <see cref="WaitEstimator"/>): what the agent tells the customer ("a person will join in about 3 minutes").
/// </summary>
/// <remarks>
/// Every submission a person must see asks, so a team's pick-ups, read once, serve its estimates for
/// <see cref="Fresh"/>: a read of up to <c>4 × 200</c> case documents per submission cost more than the submission
/// itself. An estimate over a window of hours moves nothing a customer would notice in that time.
/// </remarks>
internal sealed class WaitService(IHandoffStore store, TimeProvider time)
{
    private const int Samples = 200;

    /// <summary>How long one read of a team's recent pick-ups serves the estimates at that team.</summary>
    internal static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string Workspace, string Team), (DateTimeOffset ReadAt, PickUp[] Pickups)> _recent = new();

    public async Task<WaitEstimate> EstimateAsync(string workspaceId, string team, Priority priority, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var options = WaitEstimateOptions.Default;
        var key = (workspaceId, team);
        if (!_recent.TryGetValue(key, out var recent) || now - recent.ReadAt >= Fresh || now < recent.ReadAt)
        {
            var cases = await store.ListRecentPickupsAsync(workspaceId, team, now - options.Window, Samples, cancellationToken).ConfigureAwait(false);
            recent = (now, [.. cases
                .Where(static c => c.AssignedAt is not null)
                // A live case that fell back was queued from then on; its wait is counted from there.
                .Select(static c => new PickUp(c.Evaluation.Team, c.Evaluation.Priority, c.LiveFallbackAt ?? c.CreatedAt, c.AssignedAt!.Value))]);
            _recent[key] = recent;
        }

        return WaitEstimator.Estimate(recent.Pickups, team, priority, now, options: options);
    }
}
