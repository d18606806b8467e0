namespace Handoff.Core.Cases;

/// <summary>
/// The rules for claiming, releasing and deciding, in one place for every store: each returns the case as the
/// change leaves it, the same instance when there is nothing to change, or null when the change is not allowed
/// (the case is closed, or someone else holds it). Stores apply them atomically with their audit entry.
/// </summary>
public static class CaseTransitions
{
    /// <summary>An open, unassigned case becomes the actor's; claiming one's own case again changes nothing.</summary>
    public static HandoffCase? Claim(HandoffCase current, Actor actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(actor);
        if (!current.Status.IsOpen() || (current.AssignedTo is { } holder && holder.Id != actor.Id))
        {
            return null;
        }

        return current.AssignedTo is not null ? current : current with
        {
            AssignedTo = actor,
            AssignedAt = at,
            // An escalated case stays marked escalated while someone works on it.
            Status = current.Status == CaseStatus.Escalated ? CaseStatus.Escalated : CaseStatus.Assigned,
            UpdatedAt = at,
        };
    }

    /// <summary>Only the holder may release; an assigned case goes back to pending, an escalated one stays escalated.</summary>
    public static HandoffCase? Release(HandoffCase current, Actor actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(actor);
        if (!current.Status.IsOpen() || current.AssignedTo?.Id != actor.Id)
        {
            return null;
        }

        return current with
        {
            AssignedTo = null,
            AssignedAt = null,
            Status = current.Status == CaseStatus.Escalated ? CaseStatus.Escalated : CaseStatus.Pending,
            UpdatedAt = at,
        };
    }

    /// <summary>An open case that nobody else holds takes the decision, its closed status, and loses its expiry.</summary>
    public static HandoffCase? Decide(HandoffCase current, Decision decision, CaseStatus newStatus)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(decision);
        if (!current.Status.IsOpen() || (current.AssignedTo is { } holder && holder.Id != decision.DecidedBy?.Id))
        {
            return null;
        }

        return current with { Decision = decision, Status = newStatus, ExpiresAt = null, UpdatedAt = decision.DecidedAt };
    }
}
