namespace Handoff.Server.Events;

/// <summary>One waiter's registration; dispose it when done waiting.</summary>
internal sealed class CaseWatch(CaseNotifier notifier, string caseId, TaskCompletionSource<CaseWake> signal, long generation) : IDisposable
{
    /// <summary>How many changes the case's stripe had had when this watch began (see <see cref="CaseWake.Covers"/>).</summary>
    public long Generation => generation;

    /// <summary>True when the case changed, false when <paramref name="timeout"/> ran out first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await signal.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The change that woke this watch, shared with the other watchers it woke; null until it came.</summary>
    public CaseWake? Wake => signal.Task.IsCompletedSuccessfully ? signal.Task.Result : null;

    /// <summary>
    /// Whether no change of the case (or its stripe) has come since this watch began: true right after a read means
    /// the read began before any change this watch has yet to hear of, so a read shared after the next wake is newer.
    /// </summary>
    public bool Unchanged => notifier.Generation(caseId) == generation;

    public void Dispose() => notifier.Forget(caseId, signal);
}
