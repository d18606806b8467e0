using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Storage;

namespace Handoff.Server.Routing;

/// <summary>
/// People's presence, for the API, the dashboard's header switch and sign-in/out alike, so that each way of saying
/// "I am away" is stored, audited and read the same way. The effective presence is computed on every read against the
/// workspace's away-after and the injected clock; nothing is cached, since a person's presence changes as time passes.
/// </summary>
internal sealed class PresenceService(IHandoffStore store, TimeProvider time, RoutingSignal routing)
{
    /// <summary>
    /// Stores the person's choice (audited when it changes) and tells routing, since someone coming online may be
    /// offered what waits; null when there is no such person in the workspace.
    /// </summary>
    public async Task<PersonPresence?> SetAsync(string workspaceId, string userId, Presence presence, Actor actor, CancellationToken cancellationToken = default)
    {
        var stored = await store.SetPresenceAsync(workspaceId, userId, presence, actor, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            routing.Poke(workspaceId);
        }

        return stored;
    }

    /// <summary>The person's stored and effective presence now; null when there is no such person in the workspace.</summary>
    public async Task<(PersonPresence Stored, Presence Effective)?> GetAsync(string workspaceId, string userId, CancellationToken cancellationToken = default)
    {
        if (await store.GetPresenceAsync(workspaceId, userId, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return null;
        }

        var settings = await store.GetRoutingSettingsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        return (stored, stored.EffectiveAt(time.GetUtcNow(), settings.AwayAfter));
    }
}
