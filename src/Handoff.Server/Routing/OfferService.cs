using Handoff.Core.Cases;
using Handoff.Server.Events;
using Handoff.Storage;

namespace Handoff.Server.Routing;

/// <summary>A person answering the offers that ring for them: accept (within their capacity) or decline.</summary>
internal sealed class OfferService(IHandoffStore store, CaseNotifier notifier, RoutingSignal signal, TimeProvider time)
{
    /// <summary>The offers ringing for the person now, soonest to lapse first.</summary>
    public async Task<IReadOnlyList<HandoffCase>> RingingForAsync(string workspaceId, string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cases = await store.ListRoutableCasesAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        return [.. cases.Where(c => c.AssignedTo is null && c.Offer is { } o && o.To.Id == userId && o.ExpiresAt > now).OrderBy(static c => c.Offer!.ExpiresAt)];
    }

    /// <summary>
    /// Takes the case the offer is for; <see cref="CaseUpdateStatus.Conflict"/> when it lapsed or went to someone else,
    /// <see cref="CaseUpdateStatus.OverCapacity"/> when the person has no room for it.
    /// </summary>
    public async Task<CaseUpdate> AcceptAsync(User person, string caseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        var settings = await store.GetRoutingSettingsAsync(person.WorkspaceId, cancellationToken).ConfigureAwait(false);
        var update = await store.AcceptOfferAsync(
            person.WorkspaceId, caseId, Router.DashboardActor(person), time.GetUtcNow(),
            new CapacityLimit(person.Capacity, settings.QueuedWeight, settings.LiveWeight), cancellationToken).ConfigureAwait(false);
        Tell(person.WorkspaceId, caseId, update);
        return update;
    }

    /// <summary>Declines the offer: the case goes to the next eligible person, never back to this one.</summary>
    public async Task<CaseUpdate> DeclineAsync(User person, string caseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        var update = await store.DeclineOfferAsync(person.WorkspaceId, caseId, Router.DashboardActor(person), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        Tell(person.WorkspaceId, caseId, update);
        return update;
    }

    private void Tell(string workspaceId, string caseId, CaseUpdate update)
    {
        if (update.Status == CaseUpdateStatus.Updated)
        {
            notifier.Changed(workspaceId, caseId);
            signal.Poke(workspaceId);
        }
    }
}
