namespace Handoff.Client;

/// <summary>How <see cref="HandoffClient.WaitForDecisionAsync(SubmittedCase, WaitOptions?, CancellationToken)"/> treats a case that escalates or is taken over.</summary>
public sealed record WaitOptions
{
    /// <summary>
    /// False (the default): when the case is escalated (it timed out with <c>onTimeout: escalate</c>, so nobody decided
    /// and a person will follow up), the wait ends with a <see cref="CaseEscalatedException"/>, so the agent can tell the
    /// customer. True: keep waiting for the person's eventual decision; an escalated case has no deadline, so bound the
    /// wait with the cancellation token.
    /// </summary>
    public bool KeepWaitingWhenEscalated { get; init; }

    /// <summary>
    /// False (the default): when a person takes the conversation over, the wait ends with a
    /// <see cref="CaseTakenOverException"/>, so the agent starts relaying the customer's messages and the person's
    /// replies. True: keep waiting (the eventual decision is then usually the handback); someone else must relay.
    /// </summary>
    public bool KeepWaitingWhenTakenOver { get; init; }
}
