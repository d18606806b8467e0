namespace Handoff.Core.Routing;

/// <summary>What an expected wait was computed from, most specific first.</summary>
public enum WaitBasis
{
    /// <summary>Recent pick-ups at the case's team and priority.</summary>
    TeamAndPriority,
    /// <summary>Recent pick-ups at the case's team, any priority (too few at its own).</summary>
    Team,
    /// <summary>The cases ahead of it at the team's recent pace, which was longer than the recent waits.</summary>
    QueuePace,
    /// <summary>Too few recent pick-ups: the configured default.</summary>
    Default,
}
