namespace Handoff.Server.Notifications;

/// <summary>
/// When to try a failed delivery again: the Standard Webhooks schedule (after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
/// 10 h: eight attempts in all, the first at once), each delay with ±20 % jitter so that a receiver that was down is
/// not hit by every message at the same instant, never sooner than a <c>Retry-After</c> the receiver asked for (at
/// most a day). Null after the last attempt: the message is kept as a dead letter.
/// </summary>
internal static class DeliveryRetry
{
    private static readonly TimeSpan[] Schedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>How many attempts a message gets before it is a dead letter.</summary>
    public static int MaxAttempts => Schedule.Length + 1;

    /// <param name="attemptsMade">Attempts so far, the failed one included (1 after the first).</param>
    /// <param name="retryAfter">What the receiver asked for with <c>Retry-After</c>.</param>
    public static TimeSpan? Next(int attemptsMade, TimeSpan? retryAfter, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (attemptsMade < 1 || attemptsMade > Schedule.Length)
        {
            return null;
        }

        var planned = Schedule[attemptsMade - 1] * (0.8 + (0.4 * random.NextDouble()));
        return retryAfter is { } asked && asked > planned ? (asked < MaxRetryAfter ? asked : MaxRetryAfter) : planned;
    }
}
