namespace Handoff.Client;

/// <summary>
/// A person took the conversation over: there is no decision yet, and the agent's own replies are refused until the
/// person hands it back. Relay instead: post the customer's messages (<see cref="HandoffClient.PostCustomerMessageAsync"/>),
/// pass on the person's replies (<see cref="HandoffClient.WaitForMessagesAsync"/>), then wait for the decision again,
/// usually a handback (<see cref="CaseDecision.IsHandedBack"/>).
/// </summary>
public sealed class CaseTakenOverException : HandoffException
{
    /// <summary>Creates the exception for a case.</summary>
    /// <param name="caseId">The case.</param>
    /// <param name="takenBy">The person who took it over.</param>
    public CaseTakenOverException(string caseId, Actor? takenBy)
        : base($"Case {caseId} was taken over by {takenBy?.Name ?? "a person"}: relay the customer's messages and their replies.")
    {
        CaseId = caseId;
        TakenBy = takenBy;
    }

    /// <summary>The case.</summary>
    public string CaseId { get; }

    /// <summary>The person who owns the conversation now.</summary>
    public Actor? TakenBy { get; }
}
