using Handoff.Core.Cases;
using Handoff.Storage;

namespace Handoff.Server.Events;

/// <summary>
/// Holds a request for a bounded time until its case is decided: the long-poll of <c>GET /v1/cases/{id}/decision</c>
/// and the MCP tools' waits. A person may take minutes, a client gives up long before that, so a wait answers
/// within its time either way.
/// </summary>
internal sealed class CaseWaiter(IHandoffStore store, CaseNotifier notifier, TimeProvider time)
{
    /// <summary>
    /// The case once it has a decision, or as it stands when <paramref name="wait"/> runs out (or at once when an
    /// escalation by timeout happens meanwhile: news the agent should have now); null when the workspace has no such case.
    /// </summary>
    public async Task<HandoffCase?> WaitAsync(string workspaceId, string caseId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        HandoffCase? before = null;
        CaseWake? woken = null;
        var clean = false;
        while (true)
        {
            // Watch before reading: a decision landing between the read and the wait still wakes us.
            using var watch = notifier.Watch(caseId);
            var current = await ReadAsync(workspaceId, caseId, watch, clean ? woken : null, cancellationToken).ConfigureAwait(false);
            clean = watch.Unchanged;
            if (current is null || current.Decision is not null)
            {
                return current;
            }

            if (before is not null && current is { Status: CaseStatus.Escalated or CaseStatus.TakenOver } && before.Status != current.Status)
            {
                // An escalation or a takeover is news for the agent now: a takeover means it must start relaying.
                return current;
            }

            before = current;
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero || !await watch.WaitAsync(remaining, time, cancellationToken).ConfigureAwait(false))
            {
                return current;
            }

            woken = watch.Wake;
        }
    }

    /// <summary>
    /// The case once its transcript holds a message numbered above <paramref name="after"/>, or it changed status (a
    /// takeover began or ended), or it is closed; else as it stands when <paramref name="wait"/> runs out. Null when
    /// the workspace has no such case.
    /// </summary>
    public async Task<HandoffCase?> WaitForMessagesAsync(string workspaceId, string caseId, int after, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        CaseStatus? first = null;
        CaseWake? woken = null;
        var clean = false;
        while (true)
        {
            using var watch = notifier.Watch(caseId);
            var current = await ReadAsync(workspaceId, caseId, watch, clean ? woken : null, cancellationToken).ConfigureAwait(false);
            clean = watch.Unchanged;
            if (current is null || !current.Status.IsOpen() || (current.Transcript?.Count ?? 0) > after || (first is { } status && status != current.Status))
            {
                return current;
            }

            first ??= current.Status;
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero || !await watch.WaitAsync(remaining, time, cancellationToken).ConfigureAwait(false))
            {
                return current;
            }

            woken = watch.Wake;
        }
    }

    /// <summary>
    /// The case, read after <paramref name="watch"/> began: the read the waiters <paramref name="woken"/> woke share,
    /// when no change came since (a hundred agents waiting on a case read it once per change), else a read of its own.
    /// The caller passes no wake when a change came while it read last (<see cref="CaseWatch.Unchanged"/>): that read
    /// may be newer than the shared one, and an answer must never go back in time.
    /// </summary>
    private Task<HandoffCase?> ReadAsync(string workspaceId, string caseId, CaseWatch watch, CaseWake? woken, CancellationToken cancellationToken) =>
        woken is not null && woken.Covers(watch)
            ? woken.ReadOnceAsync(new SharedRead(workspaceId), token => store.GetCaseAsync(workspaceId, caseId, token), cancellationToken)
            : store.GetCaseAsync(workspaceId, caseId, cancellationToken);

    /// <summary>The key of the case read that the waiters one change woke share (see <see cref="CaseWake"/>).</summary>
    private sealed record SharedRead(string WorkspaceId);
}
