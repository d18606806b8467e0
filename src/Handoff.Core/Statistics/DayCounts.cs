namespace Handoff.Core.Statistics;

/// <summary>The counts of the cases created on one UTC day.</summary>
public sealed record DayCounts(DateOnly Date, CaseCounts Counts);
