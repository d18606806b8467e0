namespace Handoff.Core.Policy;

/// <summary>What the policy says, from least to most restrictive: the numeric order is the restriction order.</summary>
public enum Outcome
{
    /// <summary>The agent goes ahead alone.</summary>
    Auto = 0,
    /// <summary>A person approves or edits the proposal before it takes effect.</summary>
    Review = 1,
    /// <summary>A person handles the matter.</summary>
    Escalate = 2,
    /// <summary>Refused.</summary>
    Block = 3,
}
