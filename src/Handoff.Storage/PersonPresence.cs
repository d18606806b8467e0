using Handoff.Core.Routing;

namespace Handoff.Storage;

/// <summary>
/// A person's presence as stored: what they chose and when, and when a dashboard (or a presence call) last saw them.
/// Routing acts on <see cref="EffectiveAt"/>, never on <see cref="Chosen"/> alone. A person who never chose is offline.
/// </summary>
public sealed record PersonPresence(string WorkspaceId, string UserId, Presence Chosen, DateTimeOffset? ChosenAt, DateTimeOffset? LastSeenAt)
{
    /// <summary>The presence that counts at <paramref name="now"/> (see <see cref="PresenceRule.Effective"/>).</summary>
    public Presence EffectiveAt(DateTimeOffset now, TimeSpan awayAfter) => PresenceRule.Effective(Chosen, LastSeenAt, now, awayAfter);
}
