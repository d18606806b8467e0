namespace Handoff.Client.AI;

/// <summary>
/// Asking Handoff about one tool call, and what the model is told when the call does not run: shared by the chat
/// middleware (which runs the tool itself) and by the Agent Framework responses (which answer an approval request).
/// </summary>
internal static class HandoffVerdicts
{
    /// <summary>Submits the case and waits for its decision; null when nobody decided in time and a person will follow up.</summary>
    public static async Task<(SubmittedCase Submitted, CaseDecision? Decided)> AskAsync(
        HandoffClient handoff, CaseRequest request, CancellationToken cancellationToken)
    {
        var submitted = await handoff.SubmitCaseAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            // A person who takes the conversation over talks to the customer themselves; this call waits for their
            // handback (or decision) rather than failing, since a tool call has no customer messages to relay.
            var options = new WaitOptions { KeepWaitingWhenTakenOver = true };
            return (submitted, await handoff.WaitForDecisionAsync(submitted, options, cancellationToken).ConfigureAwait(false));
        }
        catch (CaseEscalatedException)
        {
            return (submitted, null);
        }
    }

    public static string Escalated(SubmittedCase submitted) =>
        $"Not run: nobody decided in time, and a person will follow up (case {submitted.Id}).";

    /// <summary>A person took the conversation over and handed it back: nothing runs; their note says what next.</summary>
    public static string HandedBack(Decision decision) => $"Not run: a person took the conversation over and handed it back with the note: {decision.Text}";

    /// <summary>A person's answer instead of the call.</summary>
    public static string Answer(Decision decision) => decision.Text ?? decision.Result?.Text ?? "";

    /// <summary>
    /// Not expected: the case's proposal always carries the call, and it offers no alternatives to choose. Whatever
    /// approved it, without an action there is nothing that may run.
    /// </summary>
    public static string ApprovedWithoutCall(Decision decision) => $"Not run: approved without a tool call. {decision.Result?.Text}".TrimEnd();

    public static string Rejected(Decision decision)
    {
        var reason = string.IsNullOrWhiteSpace(decision.Text) ? "no reason given" : decision.Text;
        var by = decision.TimedOut ? "" : decision.DecidedBy?.Kind == "policy" ? " by policy" : " by a person";
        return $"Rejected{by}: {reason}";
    }
}
