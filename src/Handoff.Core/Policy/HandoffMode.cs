namespace Handoff.Core.Policy;

/// <summary>
/// How a person takes a case over: live (the customer is waiting; ring one available person at a time) or from the
/// queue (follow-up).
/// </summary>
public enum HandoffMode
{
    /// <summary>A person must join now (chat or voice transfer).</summary>
    Live,
    /// <summary>A person follows up later, from the queue.</summary>
    Queue,
    /// <summary>Live when someone is available, otherwise the queue.</summary>
    Either,
}
