namespace Handoff.Core.Cases;

/// <summary>How urgent a case is for the people working the queue, lowest first.</summary>
public enum Priority
{
    Low,
    Normal,
    High,
    Urgent,
}
