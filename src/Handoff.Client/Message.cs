namespace Handoff.Client;

/// <summary>One turn of the conversation that led to the case.</summary>
/// <param name="Role">Who spoke: <c>customer</c>, <c>agent</c>, … (required).</param>
/// <param name="Text">What was said (required, at most 100,000 characters).</param>
/// <param name="At">When, if known.</param>
public sealed record Message(string Role, string Text, DateTimeOffset? At = null);
