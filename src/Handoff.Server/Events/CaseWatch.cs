namespace Handoff.Server.Events;

/// <summary>One waiter's registration; dispose it when done waiting.</summary>
internal sealed class CaseWatch(CaseNotifier notifier, string caseId, TaskCompletionSource signal) : IDisposable
{
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

    public void Dispose() => notifier.Forget(caseId, signal);
}
