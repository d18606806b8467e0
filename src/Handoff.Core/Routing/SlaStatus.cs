namespace Handoff.Core.Routing;

/// <summary>A case's SLA as the inbox and the live board show it.</summary>
/// <param name="State">Ok, warning or breached.</param>
/// <param name="Left">
/// Working time until the due time; negative once breached (the working time since it fell due). Null when the case
/// is never due: its team's week is empty, so its clock never runs.
/// </param>
/// <param name="ShareUsed">
/// The share of the SLA's working time used, from 0; above 1 once breached. A case due at the instant it was queued
/// has used all of it.
/// </param>
public sealed record SlaStatus(SlaState State, TimeSpan? Left, double ShareUsed);
