using Handoff.Core.Routing;
using Handoff.Storage;
using HandoffCase = Handoff.Core.Cases.HandoffCase;

namespace Handoff.Server.Routing;

/// <summary>
/// Where a case's SLA stands now, for the pages that show it (the live board): the due time fixed at submission
/// (<see cref="HandoffCase.Sla"/>) read on its team's working clock, so the time left is working time. A case stored
/// before SLAs were fixed at submission has its policy <c>sla</c> counted from its creation instead.
/// </summary>
internal static class SlaNow
{
    /// <summary>Null when the case has no SLA.</summary>
    public static SlaStatus? At(HandoffCase c, Team? team, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(c);
        var clock = WorkingClock.For(team?.WorkingHours);
        var warnShare = c.Evaluation.Routing?.SlaWarnAt ?? SlaClock.DefaultWarnShare;
        if (c.Sla is { } sla)
        {
            // The stored warning instant decides the state, as it does for the SLA worker and the API.
            return SlaClock.Evaluate(clock, c.CreatedAt, sla.DueAt, now, warnShare) with { State = SlaLadder.StateAt(sla, now) };
        }

        if (c.Evaluation.Routing is not { Sla: { } span })
        {
            return null;
        }

        return SlaClock.Evaluate(clock, c.CreatedAt, clock.DueAt(c.CreatedAt, span), now, warnShare);
    }
}
