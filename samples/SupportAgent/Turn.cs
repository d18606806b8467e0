namespace Handoff.Samples.SupportAgent;

/// <summary>One turn: <c>customer</c> or <c>agent</c>, and what was said.</summary>
public sealed record Turn(string Role, string Text)
{
    public const string CustomerRole = "customer";
    public const string AgentRole = "agent";
}
