using System.Threading.RateLimiting;

namespace Handoff.Server.Auth;

/// <summary>
/// Counts tries per partition (a client address, or an address and an account) in fixed windows, on the framework's
/// partitioned rate limiter: a partition that has used its tries is refused until its window ends. Partitions are
/// independent, so one address running out leaves every other address its own tries. Thread-safe.
/// </summary>
/// <remarks>
/// In memory and per node: behind a balancer each node counts apart, so a client spread over several nodes gets the
/// limit once per node — slowed all the same. The framework's limiters take no <see cref="TimeProvider"/> (still
/// so in .NET 10): their windows run on the machine's monotonic clock, and a partition whose window has passed with
/// all its tries back is dropped by the framework, so memory holds only the partitions active in the last window.
/// </remarks>
internal sealed class AttemptLimiter(int limit, TimeSpan window) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(partition =>
        RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0 }));

    /// <summary>Null while <paramref name="partition"/> has tries left, otherwise how long until it has again. Uses none.</summary>
    public TimeSpan? RetryAfter(string partition) => Refusal(_limiter.AttemptAcquire(partition, 0));

    /// <summary>
    /// Uses one try of <paramref name="partition"/>: null when it had one, otherwise how long until it has again. Taken
    /// atomically, so a burst of parallel tries gets no more than a sequence of them.
    /// </summary>
    public TimeSpan? Take(string partition) => Refusal(_limiter.AttemptAcquire(partition, 1));

    public void Dispose() => _limiter.Dispose();

    private TimeSpan? Refusal(RateLimitLease lease)
    {
        using (lease)
        {
            return lease.IsAcquired ? null
                : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after
                : window;
        }
    }
}
