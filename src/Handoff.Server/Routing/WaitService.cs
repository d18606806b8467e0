using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Storage;

namespace Handoff.Server.Routing;

/// <summary>
/// The expected wait for a new case at a team and priority, from how fast people there picked up cases recently (Core's
/// <see cref="WaitEstimator"/>): what the agent tells the customer ("a person will join in about 3 minutes").
/// </summary>
internal sealed class WaitService(IHandoffStore store, TimeProvider time)
{
    private const int Samples = 200;

    public async Task<WaitEstimate> EstimateAsync(string workspaceId, string team, Priority priority, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var options = WaitEstimateOptions.Default;
        var recent = await store.ListRecentPickupsAsync(workspaceId, team, now - options.Window, Samples, cancellationToken).ConfigureAwait(false);
        var pickups = recent
            .Where(static c => c.AssignedAt is not null)
            // A live case that fell back was queued from then on; its wait is counted from there.
            .Select(static c => new PickUp(c.Evaluation.Team, c.Evaluation.Priority, c.LiveFallbackAt ?? c.CreatedAt, c.AssignedAt!.Value));
        return WaitEstimator.Estimate(pickups, team, priority, now, options: options);
    }
}
