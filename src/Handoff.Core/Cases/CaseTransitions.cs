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
            // Whoever was being offered the case has lost it: someone took it from the queue.
            Offer = null,
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

    /// <summary>
    /// An open case that nobody else holds takes the decision, its closed status, and loses its expiry. A case that
    /// needs several approvals (<see cref="ApprovalsNeeded"/>) instead collects an approving decision and goes back to
    /// the queue for the next person, until the last one closes it with the first approver's result; the same person
    /// cannot approve twice, and after the first approval only a plain approve (or a reject) is accepted.
    /// </summary>
    public static HandoffCase? Decide(HandoffCase current, Decision decision, CaseStatus newStatus)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(decision);
        if (!current.Status.IsOpen() || (current.AssignedTo is { } holder && holder.Id != decision.DecidedBy?.Id))
        {
            return null;
        }

        var needed = ApprovalsNeeded(current);
        if (needed == 1 || decision.TimedOut || newStatus is not (CaseStatus.Approved or CaseStatus.Responded))
        {
            return current with { Decision = decision, Status = newStatus, ExpiresAt = null, Offer = null, UpdatedAt = decision.DecidedAt };
        }

        var earlier = current.Approvals ?? [];
        if (earlier.Any(approval => approval.DecidedBy?.Id == decision.DecidedBy?.Id)
            || (earlier.Count > 0 && decision.Verdict != Verdict.Approve))
        {
            return null;
        }

        Decision[] approvals = [.. earlier, decision];
        if (approvals.Length < needed)
        {
            return current with
            {
                Approvals = approvals,
                AssignedTo = null,
                AssignedAt = null,
                Offer = null,
                Status = current.Status == CaseStatus.Escalated ? CaseStatus.Escalated : CaseStatus.Pending,
                UpdatedAt = decision.DecidedAt,
            };
        }

        // The people after the first confirmed what the first decided: that is the result the agent executes.
        var first = approvals[0];
        var final = decision with
        {
            Verdict = first.Verdict,
            Result = first.Result,
            Option = first.Option,
            Text = first.Text,
            Changes = first.Changes,
            ResultDigest = first.ResultDigest,
        };
        return current with
        {
            Approvals = approvals,
            Decision = final,
            Offer = null,
            Status = first.Verdict == Verdict.Respond ? CaseStatus.Responded : CaseStatus.Approved,
            ExpiresAt = null,
            UpdatedAt = decision.DecidedAt,
        };
    }

    /// <summary>How many distinct people must approve the case: the policy's <c>approvals</c>, 1 when it set none.</summary>
    public static int ApprovalsNeeded(HandoffCase current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.Evaluation.Routing?.Approvals.Count ?? 1;
    }
}
