using Handoff.Core.Cases;

namespace Handoff.Core.Routing;

/// <summary>
/// The rules for handing an open case on: a supervisor's reassignment, a reviewer's transfer to a colleague or to
/// another team. Each returns the case as the change leaves it, the same instance when there is nothing to change, or
/// null when it is not allowed. Stores apply them atomically with their audit entry.
/// </summary>
/// <remarks>
/// <c>heldBy</c> is the id the case must be held by at the moment of the change (a reviewer transfers only what they
/// hold), or null for a supervisor, who may move any open case. Capacity is not checked: a person hands work to
/// someone on purpose, and judging whether they have room is theirs (the supervisor's board shows each load).
/// </remarks>
public static class Handovers
{
    /// <summary>
    /// The case becomes <paramref name="to"/>'s, as if they had claimed it (assigned, or still escalated); any offer
    /// ringing for someone else ends. A taken-over conversation stays taken over: the colleague carries on the chat.
    /// Giving a case to the person who holds it changes nothing.
    /// </summary>
    public static HandoffCase? ToPerson(HandoffCase current, Actor to, string? heldBy, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(to);
        if (!Allowed(current, heldBy))
        {
            return null;
        }

        if (current.AssignedTo?.Id == to.Id)
        {
            return current;
        }

        return current with
        {
            AssignedTo = to,
            AssignedAt = at,
            Offer = null,
            Status = current.Status is CaseStatus.Escalated or CaseStatus.TakenOver ? current.Status : CaseStatus.Assigned,
            UpdatedAt = at,
        };
    }

    /// <summary>
    /// The case moves to <paramref name="team"/> and back to its queue, unassigned (pending, or still escalated): no
    /// offer rings, and nobody counts as having passed it over, since it is the new team's to route. A taken-over
    /// conversation cannot wait in a queue (the customer is talking to a person): it goes to a person or is handed back.
    /// A case already in <paramref name="team"/> is refused too: the caller checked it was elsewhere, so another
    /// transfer or an overflow rung moved it there meanwhile (a double-clicked transfer), and a transfer that moves it
    /// nowhere would only unassign it behind a log entry that names no team.
    /// </summary>
    public static HandoffCase? ToTeam(HandoffCase current, string team, string? heldBy, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentException.ThrowIfNullOrEmpty(team);
        if (!Allowed(current, heldBy) || current.Status == CaseStatus.TakenOver || current.Evaluation.Team == team)
        {
            return null;
        }

        return current with
        {
            Evaluation = current.Evaluation with { Team = team },
            AssignedTo = null,
            AssignedAt = null,
            Offer = null,
            PassedOver = null,
            Status = current.Status == CaseStatus.Escalated ? CaseStatus.Escalated : CaseStatus.Pending,
            UpdatedAt = at,
        };
    }

    private static bool Allowed(HandoffCase current, string? heldBy) =>
        current.Status.IsOpen() && (heldBy is null || current.AssignedTo?.Id == heldBy);
}
