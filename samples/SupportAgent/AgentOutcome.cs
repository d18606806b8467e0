using Handoff.Client;

namespace Handoff.Samples.SupportAgent;

/// <summary>How one customer message ended: what Handoff's policy said, who decided, and what the agent then did.</summary>
/// <param name="CaseId">The case the agent submitted.</param>
/// <param name="Outcome">The policy's outcome: <c>auto</c> when the agent could go ahead alone.</param>
/// <param name="Status">The case's final status (<c>escalated</c> when it timed out to a person who will follow up).</param>
/// <param name="Decision">The decision the agent acted on; null when it escalated.</param>
/// <param name="Sent">What the customer was told.</param>
/// <param name="Ran">The tool call the agent made, if any.</param>
public sealed record AgentOutcome(string CaseId, PolicyOutcome Outcome, CaseStatus Status, Decision? Decision, string Sent, ToolCall? Ran);
