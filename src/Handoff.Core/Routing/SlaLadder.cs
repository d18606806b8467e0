using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Routing;

/// <summary>
/// A case's SLA from submission to breach ladder, as pure rules: <see cref="Plan"/> fixes its instants in the team's
/// working hours when it is submitted, <see cref="Run"/> says what is due at a given instant and what it does. The
/// store applies the result inside its write; the caller passes <c>now</c>.
/// </summary>
public static class SlaLadder
{
    /// <summary>
    /// The SLA of a case queued at <paramref name="queuedAt"/> with <paramref name="routing"/>, in
    /// <paramref name="clock"/>'s working hours: warning, due time, and each rung at <c>after</c> of working time past
    /// the due time. Null when the policy sets no SLA or the team never works (an empty week): such a case is never due.
    /// </summary>
    public static CaseSla? Plan(RoutingRequirements? routing, WorkingClock clock, DateTimeOffset queuedAt)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (routing?.Sla is not { } sla || clock.DueAt(queuedAt, sla) is not { } due)
        {
            return null;
        }

        var share = routing.SlaWarnAt is > 0 and <= 1 ? routing.SlaWarnAt : SlaClock.DefaultWarnShare;
        var warn = SlaClock.WarningAt(clock, queuedAt, due, share) ?? due;
        var ladder = new List<SlaRung>(routing.OnBreach.Count);
        foreach (var step in routing.OnBreach.OrderBy(static s => s.After))
        {
            // A rung past the last working time the team will ever have never fires, so it is left out.
            if (clock.DueAt(due, step.After) is { } at)
            {
                ladder.Add(new SlaRung(at, step.Action));
            }
        }

        return new CaseSla { WarnAt = warn, DueAt = due, Ladder = ladder };
    }

    /// <summary>
    /// Where a case with <paramref name="sla"/> stands at <paramref name="at"/>: breached from its due time, a warning
    /// from its warning time — the instants the worker acts at, so a view never disagrees with the log.
    /// </summary>
    public static SlaState StateAt(CaseSla sla, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(sla);
        return at >= sla.DueAt ? SlaState.Breached : at >= sla.WarnAt ? SlaState.Warning : SlaState.Ok;
    }

    /// <summary>
    /// When the next SLA event of <paramref name="c"/> is due: null when it has none, is closed, or is taken over (a
    /// person is talking with the customer: the case is answered, and nothing may move it from under them).
    /// </summary>
    public static DateTimeOffset? NextAt(HandoffCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Status.IsOpen() && c.Status != CaseStatus.TakenOver ? c.Sla?.NextAt : null;
    }

    /// <summary>
    /// Everything due for <paramref name="c"/> at <paramref name="now"/>, in order (warning, breach, then each rung
    /// once), each with the case after it; the last event's case is the case to store. Stops when a rung closes the
    /// case (a <c>timeout</c> that approves or rejects). <paramref name="teamOf"/> gives a team's overflow team and
    /// supervisor (null for a team that does not exist), read when a rung needs them.
    /// </summary>
    public static IReadOnlyList<SlaEvent> Run(HandoffCase c, DateTimeOffset now, Func<string, SlaTeam?> teamOf)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(teamOf);
        var events = new List<SlaEvent>();
        var current = c;
        while (NextAt(current) is { } next && next <= now)
        {
            var sla = current.Sla!;
            if (sla.WarnedAt is null)
            {
                events.Add(Event(SlaEventKind.Warning, current, current with { Sla = sla with { WarnedAt = now }, UpdatedAt = now }));
            }
            else if (sla.BreachedAt is null)
            {
                events.Add(Event(SlaEventKind.Breach, current, current with { Sla = sla with { BreachedAt = now }, UpdatedAt = now }));
            }
            else
            {
                var index = IndexOfNextRung(sla);
                var rung = sla.Ladder[index];
                var ladder = sla.Ladder.ToArray();
                ladder[index] = rung with { DoneAt = now };
                var marked = current with { Sla = sla with { Ladder = ladder }, UpdatedAt = now };
                var (after, skipped) = Apply(rung.Action, marked, now, teamOf);
                events.Add(new SlaEvent(SlaEventKind.Step, current, after, rung.Action, skipped));
            }

            current = events[^1].After;
        }

        return events;
    }

    private static SlaEvent Event(SlaEventKind kind, HandoffCase before, HandoffCase after) => new(kind, before, after);

    private static int IndexOfNextRung(CaseSla sla)
    {
        for (var i = 0; i < sla.Ladder.Count; i++)
        {
            if (sla.Ladder[i].DoneAt is null)
            {
                return i;
            }
        }

        throw new InvalidOperationException("The ladder has no rung left.");
    }

    private static (HandoffCase After, string? Skipped) Apply(BreachAction action, HandoffCase c, DateTimeOffset now, Func<string, SlaTeam?> teamOf)
    {
        switch (action)
        {
            case BreachAction.RaisePriority:
                return c.Evaluation.Priority == Priority.Urgent
                    ? (c, "already urgent")
                    : (c with { Evaluation = c.Evaluation with { Priority = c.Evaluation.Priority + 1 } }, null);
            case BreachAction.Overflow:
                // Like a transfer to another team: an offer ringing in the old team ends, and the new team routes it
                // afresh (nobody there has passed it over).
                return teamOf(c.Evaluation.Team)?.OverflowTeam is { } overflow
                    ? (c with { Evaluation = c.Evaluation with { Team = overflow }, Offer = null, PassedOver = null }, null)
                    : (c, "the team has no overflow team");
            case BreachAction.Supervisor:
                if (teamOf(c.Evaluation.Team) is not { Supervisor: { } supervisor } team)
                {
                    return (c, "the team has no supervisor");
                }

                // The case is escalated to them: marked escalated, which a release keeps, so it stays marked even if it
                // comes back to the queue (the inbox still orders by priority, then age). A case someone is working on
                // stays theirs (the supervisor sees it on the live board and in the log); an unclaimed one becomes the
                // supervisor's, as their own claim would.
                // A supervisor with no room left keeps what they hold: the case stays escalated in the queue for them.
                var escalated = c with { Status = CaseStatus.Escalated };
                if (c.AssignedTo is { } holder)
                {
                    return (escalated, holder.Id == supervisor.Id ? "the supervisor already holds it" : "someone already holds it");
                }

                if (!team.SupervisorHasRoom)
                {
                    return (escalated, "the supervisor is at capacity");
                }

                return CaseTransitions.Claim(escalated, supervisor, now) is { } claimed ? (claimed, null) : (escalated, "it cannot be claimed");
            case BreachAction.Timeout:
                return (Decisions.ByTimeout(c, now), null);
            default:
                throw new InvalidOperationException($"Unknown breach action '{action}'.");
        }
    }
}
