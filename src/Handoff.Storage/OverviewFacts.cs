using Handoff.Core.Statistics;

namespace Handoff.Storage;

/// <summary>
/// What <see cref="IHandoffStore.GetOverviewFactsAsync"/> reads for the overview: <see cref="ClosedDays"/> (the
/// roll-ups of closed cases, one per UTC day of creation that has any) and <see cref="Records"/> (every other case of
/// the period: open, or closed after the roll-ups' <see cref="Position"/>). Feed both to
/// <see cref="CaseStatistics.Compute(IEnumerable{DayTotals}, IEnumerable{CaseRecord}, DateTimeOffset, int)"/>.
/// </summary>
/// <param name="Position">The audit sequence the roll-ups have reached.</param>
public sealed record OverviewFacts(IReadOnlyList<DayTotals> ClosedDays, IReadOnlyList<CaseRecord> Records, long Position);
