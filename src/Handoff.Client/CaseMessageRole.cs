namespace Handoff.Client;

/// <summary>Who speaks in a message of a case's transcript.</summary>
public enum CaseMessageRole
{
    /// <summary>The customer, relayed by the agent.</summary>
    Customer,

    /// <summary>The person who took the conversation over.</summary>
    Person,

    /// <summary>The agent itself; refused (409) while a person owns the conversation.</summary>
    Agent,
}
