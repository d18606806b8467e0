namespace Handoff.Storage;

/// <summary>A workspace's routing settings; a workspace that never set them has <see cref="Default"/>.</summary>
/// <param name="QueuedWeight">How much a queued (not live) case a person holds counts against their capacity. The default value is 1.</param>
/// <param name="LiveWeight">How much a live conversation counts: more than a queued case, since it takes the person's whole attention. The default value is 3.</param>
/// <param name="AwayAfter">How long a person who chose online may go without a live dashboard connection before they count as away. The default value is 2 minutes.</param>
public sealed record RoutingSettings(int QueuedWeight, int LiveWeight, TimeSpan AwayAfter)
{
    /// <summary>The largest weight; a weight above a person's largest capacity would make one case fill anyone.</summary>
    public const int MaxWeight = 100;

    /// <summary>The shortest away-after: below a few renewals of a dashboard's connection, people would flicker to away.</summary>
    public static readonly TimeSpan MinAwayAfter = TimeSpan.FromSeconds(30);

    /// <summary>The longest away-after.</summary>
    public static readonly TimeSpan MaxAwayAfter = TimeSpan.FromDays(1);

    public static RoutingSettings Default { get; } = new(1, 3, TimeSpan.FromMinutes(2));

    /// <summary>Whether every value is in its range (weights 1..<see cref="MaxWeight"/>, away-after <see cref="MinAwayAfter"/>..<see cref="MaxAwayAfter"/>).</summary>
    public bool IsValid =>
        QueuedWeight is >= 1 and <= MaxWeight && LiveWeight is >= 1 and <= MaxWeight && AwayAfter >= MinAwayAfter && AwayAfter <= MaxAwayAfter;
}
