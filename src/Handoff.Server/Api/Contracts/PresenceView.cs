using Handoff.Core.Routing;
using Handoff.Storage;

namespace Handoff.Server.Api.Contracts;

/// <summary>
/// A person's presence: <see cref="Effective"/> is what routing acts on (chosen online, but not seen for the
/// workspace's away-after, is away); <see cref="Chosen"/> is what they said.
/// </summary>
public sealed record PresenceView(Presence Effective, Presence Chosen, DateTimeOffset? ChosenAt, DateTimeOffset? LastSeenAt)
{
    public static PresenceView From(PersonPresence presence, DateTimeOffset now, TimeSpan awayAfter) =>
        new(presence.EffectiveAt(now, awayAfter), presence.Chosen, presence.ChosenAt, presence.LastSeenAt);
}
