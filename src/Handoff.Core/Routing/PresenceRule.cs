namespace Handoff.Core.Routing;

/// <summary>How a person's chosen presence and the last time a dashboard saw them make the presence routing acts on.</summary>
public static class PresenceRule
{
    /// <summary>
    /// The presence that counts at <paramref name="now"/>: what the person chose, except that <see cref="Presence.Online"/>
    /// becomes <see cref="Presence.Away"/> once they have not been seen for longer than <paramref name="awayAfter"/> (or
    /// never) — a person who closed the laptop without saying so must not be offered cases. Away and offline are never
    /// raised: only the person makes themselves available.
    /// </summary>
    public static Presence Effective(Presence chosen, DateTimeOffset? lastSeenAt, DateTimeOffset now, TimeSpan awayAfter) =>
        chosen == Presence.Online && (lastSeenAt is not { } seen || now - seen > awayAfter)
            ? Presence.Away
            : chosen;
}
