namespace Handoff.Core.Routing;

/// <summary>Whether a person can be given work now. Only <see cref="Online"/> people are offered cases.</summary>
public enum Presence
{
    /// <summary>At work and taking cases.</summary>
    Online,
    /// <summary>Signed in but not taking cases: said so, or no live dashboard connection for a while.</summary>
    Away,
    /// <summary>Signed out, or never signed in.</summary>
    Offline,
}
