namespace Handoff.Core.Cases;

/// <summary>What the agent asks about.</summary>
public enum CaseKind
{
    Reply,
    Action,
    Question,
    Handoff,
}
