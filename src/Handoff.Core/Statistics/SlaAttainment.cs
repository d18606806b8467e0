namespace Handoff.Core.Statistics;

/// <summary>
/// How the period's cases with an SLA fared: of those decided, how many were decided before their due time, and how
/// many still open are at risk (past their warning) or breached.
/// </summary>
/// <param name="Met">Decided before their due time.</param>
/// <param name="Missed">Decided at or after their due time (by a person, the ladder's timeout or an expiry).</param>
/// <param name="AtRisk">Open, past their warning time, not yet due.</param>
/// <param name="Breached">Open and past their due time.</param>
public sealed record SlaAttainment(int Met, int Missed, int AtRisk, int Breached)
{
    public static readonly SlaAttainment None = new(0, 0, 0, 0);

    /// <summary>Met ÷ (met + missed), from 0 to 1; null when no case with an SLA was decided.</summary>
    public double? Rate => Met + Missed == 0 ? null : (double)Met / (Met + Missed);
}
