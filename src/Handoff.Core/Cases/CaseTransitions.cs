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

    /// <summary>
    /// Only the holder may release; an assigned case goes back to pending, an escalated one stays escalated, and a
    /// taken-over one becomes escalated: a customer is mid-conversation, so the next person should see it raised.
    /// </summary>
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
            Status = current.Status is CaseStatus.Escalated or CaseStatus.TakenOver ? CaseStatus.Escalated : CaseStatus.Pending,
            UpdatedAt = at,
        };
    }

    /// <summary>
    /// A person takes the conversation over: an open case that nobody else holds becomes <see cref="CaseStatus.TakenOver"/>
    /// and theirs, and loses its expiry (nobody's <c>onTimeout</c> should decide a conversation a person is having).
    /// Taking over one's own taken-over case again changes nothing.
    /// </summary>
    public static HandoffCase? TakeOver(HandoffCase current, Actor actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(actor);
        if (!current.Status.IsOpen() || (current.AssignedTo is { } holder && holder.Id != actor.Id))
        {
            return null;
        }

        return current.Status == CaseStatus.TakenOver ? current : current with
        {
            Status = CaseStatus.TakenOver,
            AssignedTo = current.AssignedTo ?? actor,
            AssignedAt = current.AssignedAt ?? at,
            ExpiresAt = null,
            // Whoever it was ringing for has lost it: someone took the conversation.
            Offer = null,
            UpdatedAt = at,
        };
    }

    /// <summary>
    /// Adds a message to an open case's transcript. The customer's (relayed by the agent) are always taken; the
    /// agent's own only while no person owns the conversation; the person's only from the one who took it over.
    /// Null when refused, or when the transcript already holds <see cref="CaseMessage.MaxPerCase"/> messages.
    /// </summary>
    public static HandoffCase? AddMessage(HandoffCase current, CaseMessageRole role, string text, Actor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(by);
        var transcript = current.Transcript ?? [];
        var allowed = current.Status.IsOpen() && transcript.Count < CaseMessage.MaxPerCase && role switch
        {
            CaseMessageRole.Customer => true,
            CaseMessageRole.Agent => current.Status != CaseStatus.TakenOver,
            CaseMessageRole.Person => current.Status == CaseStatus.TakenOver && current.AssignedTo?.Id == by.Id,
            _ => false,
        };
        if (!allowed)
        {
            return null;
        }

        return current with { Transcript = [.. transcript, new CaseMessage(transcript.Count + 1, role, text, at, by)], UpdatedAt = at };
    }

    /// <summary>
    /// The person who took the conversation over gives it back with <paramref name="note"/>: the case closes as
    /// <see cref="CaseStatus.HandedBack"/> with a <see cref="Verdict.HandBack"/> decision whose text is the note, so
    /// that the agent, waiting for a decision, wakes and resumes. Only the owner of a taken-over case may.
    /// </summary>
    public static HandoffCase? HandBack(HandoffCase current, Actor actor, string note, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(note);
        if (current.Status != CaseStatus.TakenOver || current.AssignedTo?.Id != actor.Id)
        {
            return null;
        }

        var decision = new Decision
        {
            Verdict = Verdict.HandBack,
            Text = note,
            ProposalDigest = ProposalDigest.Compute(current.Content.Proposal),
            DecidedBy = actor,
            DecidedAt = at,
        };
        return current with { Decision = decision, Status = CaseStatus.HandedBack, ExpiresAt = null, UpdatedAt = at };
    }

    /// <summary>
    /// An open case that nobody else holds takes the decision, its closed status, and loses its expiry. A case that
    /// needs several approvals (<see cref="ApprovalsNeeded"/>) instead collects an approving decision and goes back to
    /// the queue for the next person (pending, or escalated as <see cref="Release"/> leaves it), until the last one closes it with the first approver's result; the same person
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
            // Back to the queue as a release would send it: a conversation that was taken over comes back escalated,
            // so the next person sees a customer is waiting.
            return current with
            {
                Approvals = approvals,
                AssignedTo = null,
                AssignedAt = null,
                Offer = null,
                Status = current.Status is CaseStatus.Escalated or CaseStatus.TakenOver ? CaseStatus.Escalated : CaseStatus.Pending,
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
