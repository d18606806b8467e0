namespace Handoff.Client;

/// <summary>One message of a case's transcript.</summary>
/// <param name="Number">1, 2, … in the order the messages were added; pass the last one you have as <c>after</c>.</param>
/// <param name="Role">Who speaks.</param>
/// <param name="Text">What was said.</param>
/// <param name="At">When it was added.</param>
/// <param name="By">Who posted it: the agent's key for the customer's and its own messages, the person for theirs.</param>
public sealed record CaseMessage(int Number, CaseMessageRole Role, string Text, DateTimeOffset At, Actor By);
