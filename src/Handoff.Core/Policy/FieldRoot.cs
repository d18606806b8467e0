namespace Handoff.Core.Policy;

/// <summary>Where a field path starts in the case; resolved once at compile time so evaluation only switches.</summary>
internal enum FieldRoot
{
    Kind,
    Summary,
    Channel,
    Text,
    Facts,
    Subject,
    Signals,
    Proposal,
    ProposalConfidence,
    ProposalText,
    ProposalAction,
    ProposalActionName,
    ProposalActionArguments,
}
