using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Core.Policy;
using Handoff.Storage;

namespace Handoff.Server.Learning;

/// <summary>Replays a workspace's cases of a period under a candidate policy (<see cref="PolicyReplay"/>), reading them from the store.</summary>
public sealed class PolicyReplayService(IHandoffStore store)
{
    /// <summary>The period replayed unless asked otherwise.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    public async Task<ReplayReport> RunAsync(string workspaceId, CompiledPolicy candidate, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return PolicyReplay.Run(candidate, await CasesSinceAsync(workspaceId, since, cancellationToken).ConfigureAwait(false));
    }

    // Cases are listed newest first; the period ends at the first one created before it.
    private async Task<List<HandoffCase>> CasesSinceAsync(string workspaceId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var cases = new List<HandoffCase>();
        string? cursor = null;
        do
        {
            var page = await store.ListCasesAsync(workspaceId, new CaseQuery(Limit: 200, Cursor: cursor), cancellationToken).ConfigureAwait(false);
            foreach (var c in page.Items)
            {
                if (c.CreatedAt < since)
                {
                    return cases;
                }

                cases.Add(c);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return cases;
    }
}
