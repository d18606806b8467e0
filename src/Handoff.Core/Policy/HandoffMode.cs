namespace Handoff.Core.Policy;

/// <summary>
/// How a person takes a case over. The policy only stores and validates it for now; live handoff acts on it in a
/// later version.
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
