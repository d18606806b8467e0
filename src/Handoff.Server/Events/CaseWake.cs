using System.Collections.Concurrent;

namespace Handoff.Server.Events;

/// <summary>
/// One signal that a case changed, shared by every watcher it woke. A read begun after the signal sees the change (the
/// signal follows the commit), so the watchers it woke may share one such read instead of each reading the same rows:
/// a hundred agents waiting on one case cost one read per change, not a hundred. A waiter that goes on waiting
/// watches again before it reads; it may use the shared read only when no change came between this wake and its new
/// watch (<see cref="Covers"/>), or the change it missed might be in neither; and only when no change came while
/// it read the last time either (<see cref="CaseWatch.Unchanged"/>), or its last read might be newer than the shared one.
/// </summary>
internal sealed class CaseWake(long generation)
{
    private readonly ConcurrentDictionary<object, object> _reads = new();

    /// <summary>
    /// Whether a read shared through this wake stands for a read after <paramref name="watch"/> began: no change of
    /// the case came between this wake and that watch, so any later change wakes the watch.
    /// </summary>
    public bool Covers(CaseWatch watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        return watch.Generation == generation;
    }

    /// <summary>
    /// The result of <paramref name="read"/>, run once for every caller that passes an equal <paramref name="key"/>
    /// (the read and the workspace it is for) after this wake; the first caller starts it, on the thread pool, so the
    /// others never wait on a lock while it runs. It runs without a caller's token, so one waiter going away fails no
    /// other; each stops waiting on its own token. Should it fail, each caller reads for itself instead (with its own
    /// token), and the next caller starts a fresh shared read: one error is not handed to every waiter.
    /// </summary>
    public async Task<T> ReadOnceAsync<T>(object key, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(read);
        var shared = (Lazy<Task<T>>)_reads.GetOrAdd(key, _ => new Lazy<Task<T>>(() => Task.Run(() => read(CancellationToken.None))));
        try
        {
            return await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _reads.TryRemove(KeyValuePair.Create(key, (object)shared));
            return await read(cancellationToken).ConfigureAwait(false);
        }
    }
}
