namespace Handoff.Core.Statistics;

/// <summary>
/// Times to a person's decision, counted at the resolution the overview shows them: to the second under an hour, to
/// the minute under a day, to the hour beyond. Counts of that kind add up across days, so a period's percentiles come
/// from its days' counts without keeping every time; and because each time is cut down to what its display keeps, a
/// percentile shows exactly what it would have shown computed from the times themselves.
/// </summary>
public sealed class DecisionTimes
{
    private const long Hour = 3600;
    private const long Day = 86_400;

    // A hash map, not a sorted one: a month of busy days merges tens of thousands of steps, sorted only to rank.
    private readonly Dictionary<long, int> _counts = [];

    /// <summary>How many times are counted.</summary>
    public int Count { get; private set; }

    /// <summary>The counts, by the start of their step in whole seconds (see <see cref="Step"/>), in no order.</summary>
    public IReadOnlyDictionary<long, int> Counts => _counts;

    /// <summary>
    /// <paramref name="time"/> cut down to its step: whole seconds under an hour, whole minutes under a day, whole
    /// hours beyond; a negative time (clocks that disagree) counts as zero.
    /// </summary>
    public static TimeSpan Step(TimeSpan time)
    {
        var seconds = Math.Max(0, time.Ticks / TimeSpan.TicksPerSecond);
        var step = seconds < Hour ? seconds : seconds < Day ? seconds / 60 * 60 : seconds / Hour * Hour;
        return TimeSpan.FromSeconds(step);
    }

    /// <summary>Counts <paramref name="time"/>.</summary>
    public void Add(TimeSpan time) => Add((long)Step(time).TotalSeconds, 1);

    /// <summary>Counts every time <paramref name="other"/> counts.</summary>
    public void Add(DecisionTimes other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (step, count) in other._counts)
        {
            Add(step, count);
        }
    }

    /// <summary>Counts <paramref name="count"/> times in the step that starts at <paramref name="stepSeconds"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is not one <see cref="Step"/> gives, or the count is below 1.</exception>
    public void Add(long stepSeconds, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(stepSeconds);
        if (Step(TimeSpan.FromSeconds(stepSeconds)).TotalSeconds != stepSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(stepSeconds), stepSeconds, "Not the start of a step.");
        }

        _counts[stepSeconds] = _counts.GetValueOrDefault(stepSeconds) + count;
        Count += count;
    }

    /// <summary>
    /// The nearest-rank <paramref name="percentile"/>: of the n times sorted ascending, the step of the one at rank
    /// ⌈p/100 × n⌉ (1-based); null when no time is counted.
    /// </summary>
    public TimeSpan? NearestRank(int percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (Count == 0)
        {
            return null;
        }

        // ⌈p/100 × n⌉ in integers, so no rounding error can move a rank.
        var rank = ((long)percentile * Count + 99) / 100;
        long seen = 0;
        foreach (var step in _counts.Keys.Order())
        {
            seen += _counts[step];
            if (seen >= rank)
            {
                return TimeSpan.FromSeconds(step);
            }
        }

        throw new InvalidOperationException("The counts do not add up to Count.");
    }
}
