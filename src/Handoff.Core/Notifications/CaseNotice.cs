using Handoff.Core.Cases;

namespace Handoff.Core.Notifications;

/// <summary>
/// What a person is told about a case, whatever the channel (Slack, Teams, e-mail, the dashboard's bell): built once
/// from the case as it stood when the event happened, then rendered by each channel. Plain text throughout; each
/// renderer escapes for its own format.
/// </summary>
public sealed record CaseNotice
{
    /// <summary>One of <see cref="EventTypes"/>.</summary>
    public required string EventType { get; init; }
    public required string WorkspaceId { get; init; }
    public required string CaseId { get; init; }
    /// <summary>What happened, for people: "Needs a person", "SLA breached", "Approved by Riley Reviewer".</summary>
    public required string Headline { get; init; }
    /// <summary>The case's summary, or its kind when it has none.</summary>
    public required string Title { get; init; }
    /// <summary>Why the case came to a person: each reason's text (the rule id when it has none), as chips.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];
    /// <summary>Who the customer is, from the case's subject (name, e-mail or id), or null.</summary>
    public string? Customer { get; init; }
    /// <summary>The AI's proposal in one line: the draft text, or the tool call <c>name(args)</c>, or null.</summary>
    public string? Proposal { get; init; }
    /// <summary>The tool the proposal calls, or null for a text proposal: channels show a tool call as code.</summary>
    public string? ProposedTool { get; init; }
    /// <summary>How sure the AI was (0..1), or null.</summary>
    public double? Confidence { get; init; }
    /// <summary>The alternatives the agent offered, one line each.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
    public required Priority Priority { get; init; }
    public required string Team { get; init; }
    public required CaseStatus Status { get; init; }
    /// <summary>When it is due: the SLA's due time, else the expiry; null when neither.</summary>
    public DateTimeOffset? DueAt { get; init; }
    public string? AssignedTo { get; init; }
    /// <summary>Who decided and how ("approve", "reject"…), for decided cases.</summary>
    public string? DecidedBy { get; init; }
    public Verdict? Verdict { get; init; }
    public string? Note { get; init; }
    /// <summary>The dashboard's page for the case (absolute when the server knows its public address).</summary>
    public required string Link { get; init; }
    /// <summary>When the event happened.</summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>Whether a person may still decide it (open, not taken over): channels show decision buttons only then.</summary>
    public bool Decidable => Status.IsOpen() && Status != CaseStatus.TakenOver;
}
