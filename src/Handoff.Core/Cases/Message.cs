namespace Handoff.Core.Cases;

/// <summary>One turn of the conversation that led to the case.</summary>
public sealed record Message(string Role, string Text, DateTimeOffset? At = null);
