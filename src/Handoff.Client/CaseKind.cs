namespace Handoff.Client;

/// <summary>What kind of case the agent submits.</summary>
public enum CaseKind
{
    /// <summary>A reply the agent wants to send.</summary>
    Reply,

    /// <summary>An action (a tool call) the agent wants to take.</summary>
    Action,

    /// <summary>A question the agent wants a person to answer.</summary>
    Question,

    /// <summary>The conversation is handed to a person.</summary>
    Handoff,
}
