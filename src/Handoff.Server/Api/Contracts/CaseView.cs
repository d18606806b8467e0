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
    internal static CaseView From(HandoffCase c) => new(
        c.Id, c.Status, c.Evaluation.Outcome, c.Evaluation.Reasons, c.Evaluation.Team, c.Evaluation.Priority,
        c.Evaluation.PolicyVersion, c.Evaluation.ConfidenceFloor, c.Content.Kind, c.Content.Summary, c.Content.Channel,
        c.Content.Subject, c.Content.Facts, c.Content.Conversation, c.Content.Proposal, c.Content.Options,
        c.CreatedAt, c.ExpiresAt, c.OnTimeout, c.SubmittedBy, c.AssignedTo, c.AssignedAt, c.Decision, c.Transcript);
}
