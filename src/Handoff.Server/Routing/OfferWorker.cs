using Handoff.Server.Events;
using Handoff.Server.Workers;
using Handoff.Storage;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Routing;

/// <summary>
/// Ends offers nobody answered in time (the case moves on to the next person) and lets live cases nobody picked up
/// within their live wait fall back to the queue, telling the agent the expected wait. Every node may run one: the store
/// chooses the rows inside its write, so a node killed mid-offer leaves the offer to lapse here or elsewhere.
/// </summary>
internal sealed partial class OfferWorker(
    IHandoffStore store, CaseNotifier notifier, RoutingSignal signal, WaitService waits, TimeProvider time, IOptions<HandoffServerOptions> options, ILogger<OfferWorker> logger)
    : DueWorker(time, logger)
{
    protected override TimeSpan PollInterval => options.Value.ExpiryPollInterval;

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => store.GetNextOfferDueAsync(cancellationToken);

    protected override async Task<int> RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lapsed = await store.LapseDueOffersAsync(now, Batch, cancellationToken).ConfigureAwait(false);
        foreach (var c in lapsed)
        {
            notifier.Changed(c.WorkspaceId, c.Id);
        }

        var live = await store.ListLiveCasesDueAsync(now, Batch, cancellationToken).ConfigureAwait(false);
        var fellBack = 0;
        foreach (var c in live)
        {
            var wait = await waits.EstimateAsync(c.WorkspaceId, c.Evaluation.Team, c.Evaluation.Priority, cancellationToken).ConfigureAwait(false);
            var update = await store.FallBackLiveCaseAsync(c.WorkspaceId, c.Id, now, wait.Expected, wait.Explanation, cancellationToken).ConfigureAwait(false);
            if (update.Status == CaseUpdateStatus.Updated)
            {
                notifier.Changed(c.WorkspaceId, c.Id);
                signal.Poke(c.WorkspaceId);
                fellBack++;
            }
        }

        if (lapsed.Count + fellBack > 0)
        {
            LogDone(logger, lapsed.Count, fellBack);
        }

        // Only lapses count toward a full batch: a fallback row that stays due (a conflict) must not spin the loop.
        return lapsed.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Lapsed} offers lapsed, {FellBack} live cases fell back to the queue")]
    private static partial void LogDone(ILogger logger, int lapsed, int fellBack);
}
