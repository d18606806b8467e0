using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Storage;

namespace Handoff.Server.Routing;

/// <summary>
/// A case's SLA as it stands now, computed from what the case already holds: the policy's <c>sla</c> counted from the
/// case's creation in its team's working hours. The one place that reads it, so that stored due times can replace
/// the computation without touching the pages that show it.
/// </summary>
internal static class CaseSla
{
    /// <summary>Null when the case has no SLA (the policy set none, or it predates routing).</summary>
    public static SlaStatus? At(HandoffCase c, Team? team, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Evaluation.Routing is not { Sla: { } sla } routing)
        {
            return null;
        }

        var clock = WorkingClock.For(team?.WorkingHours);
        return SlaClock.Evaluate(clock, c.CreatedAt, clock.DueAt(c.CreatedAt, sla), now, routing.SlaWarnAt);
    }
}
