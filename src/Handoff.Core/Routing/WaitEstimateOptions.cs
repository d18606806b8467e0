namespace Handoff.Core.Routing;

/// <summary>How <see cref="WaitEstimator"/> reads recent pick-ups.</summary>
public sealed record WaitEstimateOptions
{
    /// <summary>The default options.</summary>
    public static WaitEstimateOptions Default { get; } = new();

    /// <summary>How far back pick-ups count. The default value is 2 hours: recent enough to reflect who is at work now.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(2);

    /// <summary>At most this many of the latest pick-ups are used. The default value is 50.</summary>
    public int MaxSamples { get; init; } = 50;

    /// <summary>
    /// Fewer pick-ups than this at a level (team and priority, then team) are not trusted and the next level is tried.
    /// The default value is 3.
    /// </summary>
    public int MinSamples { get; init; } = 3;

    /// <summary>The estimate when the team has too few recent pick-ups. The default value is 15 minutes.</summary>
    public TimeSpan Fallback { get; init; } = TimeSpan.FromMinutes(15);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSamples, 1, nameof(MinSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSamples, MinSamples, nameof(MaxSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(Fallback, TimeSpan.Zero, nameof(Fallback));
    }
}
