namespace Handoff.Core.Notifications.Webhooks;

/// <summary>
/// When a failed webhook is tried again: the Standard Webhooks (Svix) schedule — at once, then after 5 s, 5 min,
/// 30 min, 2 h, 5 h, 10 h and 10 h, eight attempts over about 27.5 hours — each delay with ±20 % jitter so that the
/// messages that piled up while a receiver was down do not all arrive at the same instant when it is back. A throttled
/// answer's <c>Retry-After</c> is honoured when it asks for longer than the schedule (up to <see cref="MaxRetryAfter"/>).
/// After the last attempt the message is a dead letter.
/// </summary>
public static class WebhookRetry
{
    /// <summary>The delay before each attempt, the first (immediate) one included, before jitter.</summary>
    public static IReadOnlyList<TimeSpan> Schedule { get; } =
    [
        TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>How many attempts a message gets before it is a dead letter: 8.</summary>
    public static int MaxAttempts => Schedule.Count;

    /// <summary>The largest share by which a delay is moved either way at random: 20 %.</summary>
    public const double Jitter = 0.2;

    /// <summary>The longest <c>Retry-After</c> honoured: a day. A receiver asking for longer is tried after a day.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(24);

    /// <summary>What an answer means: <paramref name="status"/> is the HTTP status, or null when none came (timeout, refused connection, reset).</summary>
    public static WebhookAnswer Classify(int? status) => status switch
    {
        >= 200 and <= 299 => WebhookAnswer.Delivered,
        410 => WebhookAnswer.Gone,
        429 or 502 or 503 or 504 => WebhookAnswer.Throttled,
        _ => WebhookAnswer.Failed,
    };

    /// <summary>
    /// How long to wait before the next attempt, or null when there is none: the answer was a success or 410 Gone, or
    /// <paramref name="attemptsMade"/> reached <see cref="MaxAttempts"/> (a dead letter).
    /// </summary>
    /// <param name="attemptsMade">Attempts so far, the one just answered included (1 after the first).</param>
    /// <param name="status">The last attempt's HTTP status, or null when it got none.</param>
    /// <param name="retryAfter">The receiver's <c>Retry-After</c>, honoured for throttling answers only.</param>
    /// <param name="random">The source of jitter (seeded in tests).</param>
    public static TimeSpan? Next(int attemptsMade, int? status, TimeSpan? retryAfter, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsMade, 1);
        ArgumentNullException.ThrowIfNull(random);
        var answer = Classify(status);
        if (answer is WebhookAnswer.Delivered or WebhookAnswer.Gone || attemptsMade >= MaxAttempts)
        {
            return null;
        }

        var planned = Schedule[attemptsMade] * (1 + (Jitter * ((2 * random.NextDouble()) - 1)));
        if (answer == WebhookAnswer.Throttled && retryAfter is { } asked && asked > planned)
        {
            return asked < MaxRetryAfter ? asked : MaxRetryAfter;
        }

        return planned;
    }
}
