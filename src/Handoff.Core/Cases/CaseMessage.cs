namespace Handoff.Core.Cases;

/// <summary>
/// One message of a case's transcript: its <paramref name="Number"/> (1, 2, … in the order they were added), who
/// speaks, what they said, when, and who posted it (the agent's key for the customer's and its own messages).
/// </summary>
public sealed record CaseMessage(int Number, CaseMessageRole Role, string Text, DateTimeOffset At, Actor By)
{
    /// <summary>The longest message, in UTF-16 code units: a chat turn, not a document.</summary>
    public const int MaxTextLength = 8_000;

    /// <summary>How many messages one case's transcript holds at most; a longer conversation is a new case.</summary>
    public const int MaxPerCase = 1_000;
}
