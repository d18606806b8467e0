namespace Handoff.Client;

/// <summary>How <see cref="HandoffClient.WaitForDecisionAsync(SubmittedCase, WaitOptions?, CancellationToken)"/> treats a case that escalates.</summary>
public sealed record WaitOptions
{
    /// <summary>
    /// False (the default): when the case is escalated (it timed out with <c>onTimeout: escalate</c>, so nobody decided
    /// and a person will follow up), the wait ends with a <see cref="CaseEscalatedException"/>, so the agent can tell the
    /// customer. True: keep waiting for the person's eventual decision; an escalated case has no deadline, so bound the
    /// wait with the cancellation token.
    /// </summary>
    public bool KeepWaitingWhenEscalated { get; init; }
}
