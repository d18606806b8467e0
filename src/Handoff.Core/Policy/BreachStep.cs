namespace Handoff.Core.Policy;

/// <summary>
/// One rung of the SLA breach ladder (<c>defaults.onBreach</c>): <see cref="After"/> the case's SLA was breached, do
/// <see cref="Action"/>. The ladder runs in order of <see cref="After"/>; each rung fires once per case.
/// </summary>
public sealed record BreachStep(TimeSpan After, BreachAction Action);

/// <summary>What the breach ladder does to a case that has waited past its SLA.</summary>
public enum BreachAction
{
    /// <summary>Raise the case's priority one step (urgent stays urgent).</summary>
    RaisePriority,
    /// <summary>Move the case to its team's overflow team, if the team has one.</summary>
    Overflow,
    /// <summary>Put the case in front of the team's supervisor.</summary>
    Supervisor,
    /// <summary>Apply the case's <c>onTimeout</c> now, as if it had expired.</summary>
    Timeout,
}
