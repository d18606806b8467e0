using System.Text.Json;
using System.Text.Json.Serialization;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Server.Api.Contracts;

/// <summary>A case as the API shows it.</summary>
public sealed record CaseView(
    string Id,
    CaseStatus Status,
    Outcome Outcome,
    IReadOnlyList<Reason> Reasons,
    string Team,
    Priority Priority,
    int PolicyVersion,
    double ConfidenceFloor,
    CaseKind Kind,
    string? Summary,
    string? Channel,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] JsonElement Subject,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] JsonElement Facts,
    IReadOnlyList<Message> Conversation,
    Proposal? Proposal,
    IReadOnlyList<Proposal> Options,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    TimeoutEffect OnTimeout,
    Actor? SubmittedBy,
    Actor? AssignedTo,
    DateTimeOffset? AssignedAt,
    Decision? Decision,
    IReadOnlyList<CaseMessage>? Transcript = null)
{
    /// <summary>The approvals the case has collected, when its policy asks for several (null otherwise).</summary>
    public IReadOnlyList<Decision>? Approvals { get; init; }

    /// <summary>How many distinct people must approve; shown only when more than one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ApprovalsNeeded { get; init; }

    /// <summary>What the policy asks of the person who takes the case (skills, language, mode, SLA, live wait, approvals).</summary>
    public RoutingRequirements? Routing { get; init; }

    /// <summary>On the answer to a submission that a person must see: live or queued, and the expected wait.</summary>
    public HandlingView? Handling { get; init; }

    /// <summary>The offer ringing now (push teams and live cases): for whom and until when.</summary>
    public CaseOffer? Offer { get; init; }

    /// <summary>The case's SLA at the time of the answer; absent when it has none.</summary>
    public SlaView? Sla { get; init; }

    /// <summary>Where the decision is posted, as submitted; absent when none.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>What the learned gate made of the case (its score, threshold, whether it approved it); absent when it had no say.</summary>
    public Core.Learning.GateJudgement? Learned { get; init; }

    /// <summary>The QA check of a case approved without a person; absent until one is made.</summary>
    public Core.Learning.QaReview? Qa { get; init; }

    /// <summary>The agent's receipt: what it did with the approved result; absent until it sends one.</summary>
    public ExecutionReceipt? Receipt { get; init; }

    /// <summary>
    /// For an approved case without a receipt: seconds since it was approved, while the agent has not said it ran it.
    /// Absent otherwise.
    /// </summary>
    public long? AwaitingExecutionSeconds { get; init; }

    internal static CaseView From(HandoffCase c, DateTimeOffset now) => new(
        c.Id, c.Status, c.Evaluation.Outcome, c.Evaluation.Reasons, c.Evaluation.Team, c.Evaluation.Priority,
        c.Evaluation.PolicyVersion, c.Evaluation.ConfidenceFloor, c.Content.Kind, c.Content.Summary, c.Content.Channel,
        c.Content.Subject, c.Content.Facts, c.Content.Conversation, c.Content.Proposal, c.Content.Options,
        c.CreatedAt, c.ExpiresAt, c.OnTimeout, c.SubmittedBy, c.AssignedTo, c.AssignedAt, c.Decision, c.Transcript)
    {
        Approvals = c.Approvals,
        ApprovalsNeeded = CaseTransitions.ApprovalsNeeded(c) is > 1 and var needed ? needed : 0,
        Routing = c.Evaluation.Routing,
        Offer = c.Offer,
        Sla = SlaView.From(c, now),
        CallbackUrl = c.CallbackUrl,
        Learned = c.Evaluation.Learned,
        Qa = c.Qa,
        Receipt = c.Receipt,
        AwaitingExecutionSeconds = ExecutionReceipts.AwaitingSince(c, now) is { } waited ? (long)Math.Max(0, waited.TotalSeconds) : null,
    };
}
