using System.Text.Json;
using System.Text.Json.Nodes;

namespace Handoff.Core.Cases;

/// <summary>Turns a person's request into a decision: checks it against the case and records what changed.</summary>
public static class Decisions
{
    /// <summary>
    /// Builds the decision <paramref name="by"/> takes on <paramref name="handoffCase"/>; does not check the case is
    /// still open. <paramref name="role"/> is the decider's role (<c>reviewer</c>, <c>supervisor</c>, <c>admin</c>),
    /// checked against a case whose policy asks for approvals by a role; null counts as no role.
    /// </summary>
    public static DecisionOutcome Make(HandoffCase handoffCase, DecisionRequest request, Actor by, DateTimeOffset at, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(handoffCase);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        var proposal = handoffCase.Content.Proposal;
        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note;
        if (request.Verdict != Verdict.Reject && ApprovalProblem(handoffCase, request.Verdict, by, role) is { } problem)
        {
            return problem;
        }

        switch (request.Verdict)
        {
            case Verdict.Approve:
                if (proposal is null)
                {
                    return DecisionOutcome.Invalid("verdict", "The case has no proposal to approve; respond with your own answer instead.");
                }

                return Made(Decided(Verdict.Approve, proposal, proposal, by, at) with { Note = note }, CaseStatus.Approved);

            case Verdict.Edit:
                return Edit(proposal, request, note, by, at);

            case Verdict.Choose:
                var options = handoffCase.Content.Options;
                if (request.Option is not { } index)
                {
                    return DecisionOutcome.Invalid("option", "Choose needs the 0-based index of one of the case's options.");
                }

                if (index < 0 || index >= options.Count)
                {
                    return DecisionOutcome.Invalid("option", options.Count == 0
                        ? "The case has no options to choose from."
                        : $"Option must be between 0 and {options.Count - 1}.");
                }

                return Made(Decided(Verdict.Choose, proposal, options[index], by, at) with { Option = index, Note = note }, CaseStatus.Approved);

            case Verdict.Reject:
                if (string.IsNullOrWhiteSpace(request.Text))
                {
                    return DecisionOutcome.Invalid("text", "Reject needs a reason in text.");
                }

                return Made(Decided(Verdict.Reject, proposal, null, by, at) with { Text = request.Text, Note = note }, CaseStatus.Rejected);

            case Verdict.Respond:
                if (string.IsNullOrWhiteSpace(request.Text))
                {
                    return DecisionOutcome.Invalid("text", "Respond needs the answer in text.");
                }

                return Made(Decided(Verdict.Respond, proposal, new Proposal(request.Text, null, null), by, at) with { Text = request.Text, Note = note }, CaseStatus.Responded);

            case Verdict.HandBack:
                return DecisionOutcome.Invalid("verdict", "A handback is not a decision: the person who took the conversation over hands it back, with a note.");

            default:
                return DecisionOutcome.Invalid("verdict", "Verdict must be one of: approve, edit, choose, reject, respond.");
        }
    }

    /// <summary>The decision the policy itself takes: approve for auto, reject for block; null while a person must decide.</summary>
    public static Decision? ByPolicy(CaseContent content, Policy.Outcome outcome, int policyVersion, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(content);
        var policy = new Actor(Actor.PolicyKind, $"policy-v{policyVersion}", $"Policy version {policyVersion}");
        return outcome switch
        {
            Policy.Outcome.Auto => Decided(Verdict.Approve, content.Proposal, content.Proposal, policy, at),
            Policy.Outcome.Block => Decided(Verdict.Reject, content.Proposal, null, policy, at) with { Text = "Blocked by policy." },
            _ => null,
        };
    }

    /// <summary>The learned gate's approval: the proposal approved as it stands, by the policy's learned gate (not a person).</summary>
    public static Decision ByLearnedGate(CaseContent content, int policyVersion, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(content);
        var gate = new Actor(Actor.PolicyKind, $"learned-gate-v{policyVersion}", $"Learned gate (policy version {policyVersion})");
        return Decided(Verdict.Approve, content.Proposal, content.Proposal, gate, at);
    }

    /// <summary>
    /// The case as its <c>onTimeout</c> leaves it once its time ran out: approve and reject become a decision marked
    /// <see cref="Decision.TimedOut"/> with nobody as <see cref="Decision.DecidedBy"/>; escalate keeps the case open
    /// for a person, at <see cref="Priority.Urgent"/> and with no expiry (an offer ringing for someone rings on; a
    /// decision ends it).
    /// </summary>
    public static HandoffCase ByTimeout(HandoffCase current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        var proposal = current.Content.Proposal;
        return current.OnTimeout switch
        {
            TimeoutEffect.Approve => current with
            {
                Status = CaseStatus.Approved,
                Decision = Decided(Verdict.Approve, proposal, proposal, null, now) with { TimedOut = true },
                ExpiresAt = null,
                // A decided case rings for nobody: the person it was offered to can no longer take it.
                Offer = null,
                UpdatedAt = now,
            },
            TimeoutEffect.Reject => current with
            {
                Status = CaseStatus.Rejected,
                Decision = Decided(Verdict.Reject, proposal, null, null, now) with { Text = "Nobody decided before the case expired.", TimedOut = true },
                ExpiresAt = null,
                Offer = null,
                UpdatedAt = now,
            },
            TimeoutEffect.Escalate => current with
            {
                Status = CaseStatus.Escalated,
                Evaluation = current.Evaluation with { Priority = Priority.Urgent },
                ExpiresAt = null,
                UpdatedAt = now,
            },
            _ => throw new InvalidOperationException($"Case {current.Id} has an unknown onTimeout '{current.OnTimeout}'."),
        };
    }

    // A case that needs several approvals: who may add one, and what a later approver may do (see CaseTransitions.Decide).
    private static DecisionOutcome? ApprovalProblem(HandoffCase handoffCase, Verdict verdict, Actor by, string? role)
    {
        var needed = handoffCase.Evaluation.Routing?.Approvals;
        if (needed is null || (needed.Count == 1 && needed.Role is null))
        {
            return null;
        }

        if (needed.Role is { } required && (role is null || !needed.Admits(role)))
        {
            return DecisionOutcome.Refused("verdict", $"This case needs approval by {(required == "admin" ? "an" : "a")} {required} or above; you may reject it, or leave it to one.");
        }

        var earlier = handoffCase.Approvals ?? [];
        if (earlier.Any(approval => approval.DecidedBy?.Id == by.Id))
        {
            return DecisionOutcome.Invalid("verdict", $"You already approved this case; it needs {needed.Count} approvals by different people.");
        }

        if (earlier.Count > 0 && verdict != Verdict.Approve)
        {
            var names = string.Join(", ", earlier.Select(static approval => approval.DecidedBy?.Name ?? "someone"));
            return DecisionOutcome.Invalid("verdict", $"This case already has {earlier.Count} of {needed.Count} approvals ({names}); approve it as it stands or reject it.");
        }

        return null;
    }

    private static Decision Decided(Verdict verdict, Proposal? proposal, Proposal? result, Actor? by, DateTimeOffset at)
    {
        var proposalDigest = ProposalDigest.Compute(proposal);
        return new Decision
        {
            Verdict = verdict,
            Result = result,
            ProposalDigest = proposalDigest,
            // Approving as proposed (the auto path's case) executes the proposal itself: one digest serves both.
            ResultDigest = result is null ? null : ReferenceEquals(result, proposal) ? proposalDigest : ProposalDigest.Compute(result),
            DecidedBy = by,
            DecidedAt = at,
        };
    }

    private static DecisionOutcome Edit(Proposal? proposal, DecisionRequest request, string? note, Actor by, DateTimeOffset at)
    {
        if (proposal is null)
        {
            return DecisionOutcome.Invalid("verdict", "The case has no proposal to edit; respond with your own answer instead.");
        }

        var hasArguments = request.Arguments.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        if (request.Text is null && !hasArguments)
        {
            return DecisionOutcome.Invalid("text", "Edit needs the changed text, arguments, or both.");
        }

        var changes = new List<Change>();
        var edited = proposal;
        if (request.Text is not null && request.Text != proposal.Text)
        {
            changes.Add(new Change("text", proposal.Text is null ? null : JsonValue.Create(proposal.Text), JsonValue.Create(request.Text)));
            edited = edited with { Text = request.Text };
        }

        if (hasArguments)
        {
            if (proposal.Action is null)
            {
                return DecisionOutcome.Invalid("arguments", "The proposal has no tool call whose arguments could be edited.");
            }

            if (request.Arguments.ValueKind != JsonValueKind.Object)
            {
                return DecisionOutcome.Invalid("arguments", "Arguments must be a JSON object.");
            }

            var before = proposal.Action.Arguments.ValueKind == JsonValueKind.Object ? JsonNode.Parse(proposal.Action.Arguments.GetRawText()) : null;
            var after = JsonNode.Parse(request.Arguments.GetRawText());
            Compare("arguments", before, after, changes);
            edited = edited with { Action = proposal.Action with { Arguments = request.Arguments.Clone() } };
        }

        return Made(Decided(Verdict.Edit, proposal, edited, by, at) with { Changes = changes, Note = note }, CaseStatus.Approved);
    }

    // Records one change per leaf that differs, so "arguments.amount: 1200 → 900" reads well in the audit and the diff.
    private static void Compare(string path, JsonNode? before, JsonNode? after, List<Change> changes)
    {
        if (before is JsonObject beforeObject && after is JsonObject afterObject)
        {
            foreach (var (key, value) in beforeObject)
            {
                Compare($"{path}.{key}", value, afterObject[key], changes);
            }

            foreach (var (key, value) in afterObject)
            {
                if (!beforeObject.ContainsKey(key))
                {
                    Compare($"{path}.{key}", null, value, changes);
                }
            }

            return;
        }

        if (!JsonNode.DeepEquals(before, after))
        {
            changes.Add(new Change(path, before?.DeepClone(), after?.DeepClone()));
        }
    }

    private static DecisionOutcome Made(Decision decision, CaseStatus status) =>
        new(decision, status, new Dictionary<string, string[]>());
}
