using Handoff.Client;

namespace Handoff.Samples.SupportAgent.Drafting;

/// <summary>What the agent would do about a conversation before asking Handoff: the case it will submit.</summary>
/// <param name="Kind">A reply, an action (a tool call), or a handover to a person.</param>
/// <param name="Summary">One line for the reviewer's inbox.</param>
/// <param name="Proposal">What the agent proposes, with its confidence.</param>
/// <param name="Options">Alternatives a reviewer may choose instead.</param>
internal sealed record Draft(CaseKind Kind, string Summary, CustomerFacts Facts, Proposal Proposal, IReadOnlyList<Proposal> Options);
