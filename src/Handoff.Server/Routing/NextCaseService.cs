using Handoff.Core.Cases;
using Handoff.Server.Events;
using Handoff.Storage;

namespace Handoff.Server.Routing;

/// <summary>
/// "Next case" for people of pull teams: the store picks the most urgent case they may take and makes it theirs in one
/// write (see <see cref="IHandoffStore.TakeNextCaseAsync"/>); this tells the dashboards. The API and the inbox's button
/// both come through here.
/// </summary>
internal sealed class NextCaseService(IHandoffStore store, CaseNotifier notifier, TimeProvider time)
{
    /// <summary>Takes the next case for <paramref name="personId"/>, asked by <paramref name="by"/> (the person, or an API key).</summary>
    public async Task<NextCaseResult> TakeAsync(string workspaceId, string personId, string? team, Actor by, CancellationToken cancellationToken)
    {
        var result = await store.TakeNextCaseAsync(workspaceId, personId, team, by, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (result is { Status: NextCaseStatus.Taken, Case: { } taken })
        {
            notifier.Changed(workspaceId, taken.Id);
        }

        return result;
    }
}
