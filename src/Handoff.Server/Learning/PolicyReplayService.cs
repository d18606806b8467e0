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
        // Counted page by page: a busy workspace's month of cases is never held at once.
        var tally = new ReplayTally(candidate);
        string? cursor = null;
        do
        {
            // Cases are listed newest first; the period ends at the first one created before it.
            var page = await store.ListCasesAsync(workspaceId, new CaseQuery(Limit: 200, Cursor: cursor), cancellationToken).ConfigureAwait(false);
            foreach (var c in page.Items)
            {
                if (c.CreatedAt < since)
                {
                    return tally.Report();
                }

                tally.Add(c);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return tally.Report();
    }
}
