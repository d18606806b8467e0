using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Server.Api.Contracts;

/// <summary>
/// A case's SLA as the API shows it: its due and warning times (counted in its team's working hours when it was
/// submitted), where it stands now, and the seconds left until the due time (negative once breached). A closed case
/// shows where it stood when it was decided.
/// </summary>
public sealed record SlaView(DateTimeOffset DueAt, DateTimeOffset WarnAt, SlaState State, long LeftSeconds)
{
    internal static SlaView? From(HandoffCase c, DateTimeOffset now)
    {
        if (c.Sla is not { } sla)
        {
            return null;
        }

        // A closed case's clock stopped at its decision.
        var at = c.Status.IsOpen() ? now : c.Decision?.DecidedAt ?? c.UpdatedAt;
        return new SlaView(sla.DueAt, sla.WarnAt, SlaLadder.StateAt(sla, at), (long)Math.Floor((sla.DueAt - at).TotalSeconds));
    }
}
